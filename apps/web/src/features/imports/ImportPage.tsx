import type { ImportField, JobView } from "@trellis/api/schemas";
import { importFields } from "@trellis/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useReducer, useState } from "react";
import { Link } from "react-router";
import { useTRPC } from "../../app/trpc";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { isFinalFailure } from "../../lib/errors";
import { useCurrentUser } from "../auth/current-user";
import { keptNote } from "../intents/intent-paths";
import { isActive } from "../jobs/job-labels";
import { useLiveJob } from "../jobs/use-live-job";
import { useIntent } from "../intents/use-intent";
import { NoWriteAccess } from "../projects/components/NoWriteAccess";
import { canWrite } from "../projects/lib/labels";
import { FileDrop } from "./FileDrop";
import { importFieldLabels } from "./import-report";
import { ImportJobPanel } from "./ImportJobPanel";
import { initialMapping, type MappingAction, mappingInput, mappingReducer } from "./mapping";
import { MappingTable } from "./MappingTable";
import { type UploadAnswer, uploadCsv } from "./upload";

/**
 * /projects/import: upload a CSV, review the column mapping, dry run it (nothing is written), then
 * apply it as a job and read its per-row report. Editors and admins only.
 */
export function ImportPage() {
  const user = useCurrentUser();
  const [upload, setUpload] = useState<UploadAnswer | undefined>(undefined);
  const uploading = useMutation({ mutationFn: (file: File) => uploadCsv(file), onSuccess: setUpload, retry: false });
  if (!canWrite(user.role)) return <NoWriteAccess backTo="/projects" />;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/projects">Projects</Link> ›
      </p>
      <div className="page-head">
        <h1>Import projects</h1>
      </div>
      {upload ? (
        <ImportSteps
          key={upload.id}
          upload={upload}
          onStartOver={() => {
            setUpload(undefined);
            uploading.reset();
          }}
        />
      ) : (
        <>
          <FileDrop onFile={(file) => uploading.mutate(file)} disabled={uploading.isPending} />
          {uploading.isPending && (
            <p className="page-status" role="status">
              Uploading…
            </p>
          )}
          {uploading.error && (
            <div className="notice notice-error" role="alert">
              <p>Could not upload the file: {uploading.error.message}</p>
            </div>
          )}
        </>
      )}
    </>
  );
}

function ImportSteps({ upload, onStartOver }: { upload: UploadAnswer; onStartOver: () => void }) {
  const [mapping, dispatch] = useReducer(mappingReducer<ImportField>, undefined, () =>
    initialMapping<ImportField>(upload.headers, upload.suggestedMapping),
  );
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [dryStarted, setDryJob] = useState<JobView | undefined>(undefined);
  const [applyStarted, setApplyJob] = useState<JobView | undefined>(undefined);
  const dryJob = useLiveJob(dryStarted);
  const applyJob = useLiveJob(applyStarted, {
    onFinished: () => {
      // The apply wrote projects: the list and the stats are stale (the live feed refreshes them too).
      void queryClient.invalidateQueries(trpc.project.list.pathFilter());
      void queryClient.invalidateQueries(trpc.project.stats.pathFilter());
    },
  });
  const [overwriteChanged, setOverwriteChanged] = useState(false);
  const dryRun = useIntent("import.dryRun", { onSuccess: setDryJob });
  const apply = useIntent("import.run", { onSuccess: setApplyJob });
  const input = { uploadId: upload.id, mapping: mappingInput(mapping) };
  const locked = applyStarted !== undefined || apply.isPending;
  const dryRunning = dryRun.isPending || (dryJob !== undefined && isActive(dryJob.state));

  // A new mapping is a new intent: the dry run of the old one no longer says what would happen.
  const changeMapping = (action: MappingAction<ImportField>) => {
    dispatch(action);
    setDryJob(undefined);
    dryRun.abandon();
    dryRun.reset();
  };

  return (
    <>
      <section className="panel" aria-labelledby="import-file">
        <div className="page-head">
          <h2 id="import-file">{upload.filename}</h2>
          {!locked && (
            <Button small onClick={onStartOver}>
              Choose another file
            </Button>
          )}
        </div>
        <p className="muted small" data-testid="upload-summary">
          {upload.rowCount} row{upload.rowCount === 1 ? "" : "s"} · {upload.headers.length} column{upload.headers.length === 1 ? "" : "s"} · delimiter{" "}
          {upload.delimiter === "\t" ? "tab" : `“${upload.delimiter}”`} · {upload.encoding}
        </p>
        {upload.unknownColumns.length > 0 && (
          <div className="notice notice-warning" role="note" aria-label="Unknown columns">
            <p>
              Not recognised, so not imported unless you map them: <strong>{upload.unknownColumns.join(", ")}</strong>
            </p>
          </div>
        )}
        <h3>Map the columns</h3>
        <MappingTable<ImportField>
          state={mapping}
          dispatch={changeMapping}
          fields={importFields}
          fieldLabel={(field) => importFieldLabels[field]}
          unknown={upload.unknownColumns}
          disabled={locked || dryRunning}
        />
        <div className="actions">
          <Button primary onClick={() => dryRun.submit(input, `Dry run of ${upload.filename}`)} disabled={locked || dryRunning}>
            {dryRun.isPending ? "Starting the dry run…" : dryJob ? "Dry run again" : "Dry run"}
          </Button>
        </div>
        {dryRun.error && <IntentError error={dryRun.error} path="import.dryRun" title="Could not start the dry run" />}
      </section>

      {dryJob && <ImportJobPanel key={dryJob.id} job={dryJob} title="Dry run" dryRun />}

      {dryJob?.state === "succeeded" && (
        <section className="panel" aria-labelledby="import-apply">
          <h2 id="import-apply">Apply</h2>
          <p className="small muted">Applies the valid rows with this mapping, each once; rows with errors are left out and reported.</p>
          <label className="checkbox">
            <input type="checkbox" checked={overwriteChanged} disabled={locked} onChange={(event) => setOverwriteChanged(event.target.checked)} />{" "}
            Overwrite projects changed since the last import
          </label>
          <div className="actions">
            <Button primary onClick={() => apply.submit({ ...input, overwriteChanged }, `Import ${upload.filename}`)} disabled={locked}>
              {apply.isPending ? "Starting…" : "Apply"}
            </Button>
          </div>
          {apply.error && <IntentError error={apply.error} path="import.run" title="Could not start the import" />}
        </section>
      )}

      {applyJob && <ImportJobPanel key={applyJob.id} job={applyJob} title="Import" dryRun={false} />}
    </>
  );
}

function IntentError({ error, path, title }: { error: Error; path: "import.dryRun" | "import.run"; title: string }) {
  return (
    <>
      <ErrorNotice title={title} error={error} />
      {!isFinalFailure(error) && <p className="small muted">{keptNote(path)}</p>}
    </>
  );
}
