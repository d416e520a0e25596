/** Keeps a copy of `ptg.json` on disk for sites that serve it with another web server. */
import { errorText } from "../util/errors.ts";
import { writeFileAtomically } from "../util/atomic_file.ts";

/** Writes `text()` to `path` atomically after changes, coalescing bursts. */
export class PublicFile {
  #path: string;
  #text: () => string;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(path: string, text: () => string) {
    this.#path = path;
    this.#text = text;
  }

  /** Schedules a write; resolves when the latest state is on disk. */
  update(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await writeFileAtomically(this.#path, this.#text());
        } catch (e) {
          console.error(`db_filename: cannot write ${this.#path}: ${errorText(e)}`);
        }
      } while (this.#again);
      this.#running = undefined;
    })();
    return this.#running;
  }
}
