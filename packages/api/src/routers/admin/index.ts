import { router } from "../../trpc.js";
import { deactivateUser, reactivateUser } from "./deactivate-user.js";
import { inviteUser } from "./invite-user.js";
import { listUsers } from "./list-users.js";
import { revokeSessions } from "./revoke-sessions.js";
import { setRole } from "./set-role.js";

export const adminRouter = router({
  users: router({
    list: listUsers,
    invite: inviteUser,
    setRole,
    deactivate: deactivateUser,
    reactivate: reactivateUser,
    revokeSessions,
  }),
});
