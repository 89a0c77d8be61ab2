/** The activities a roadmapImport workflow calls. Workflows import this type only. */
export interface ImportActivities {
  /** Reads, validates and writes the file's rows in one transaction; ok=false when the job failed. */
  importRoadmapFile(input: { jobId: number }): Promise<{ ok: boolean }>;
  /** Starts the new items' workflows and sends lifecycle Updates; marks the job done. */
  applyImportLifecycle(input: { jobId: number }): Promise<void>;
  /** Records a job the activities could not finish (after their retries ran out). */
  failImportJob(input: { jobId: number; message: string }): Promise<void>;
}
