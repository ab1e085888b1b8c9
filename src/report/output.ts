// A file the run will write into results/Y/, built in memory first.
export interface OutputFile {
  name: string; // file name inside results/Y/
  content: Buffer | string;
}
