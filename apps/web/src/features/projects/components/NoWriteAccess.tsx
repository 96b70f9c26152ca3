import { Link } from "react-router";

/** What a viewer sees on a page that only writes. The server would refuse anyway. */
export function NoWriteAccess({ backTo }: { backTo: string }) {
  return (
    <div className="notice notice-warning" role="alert">
      <p>Your role can view projects but not change them. Ask an admin for editor access.</p>
      <Link to={backTo}>Go back</Link>
    </div>
  );
}
