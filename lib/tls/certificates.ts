/**
 * Keeping the site's certificate: the one stored next to the KV file, the
 * organiser's own files, or a new one from the ACME directory; renewed at
 * two thirds of its validity, retried with backoff when the directory
 * fails (the current certificate stays in use meanwhile).
 *
 * @module
 */
import { X509Certificate } from "node:crypto";
import type { AcmeAccount } from "./acme.ts";
import { errorText } from "../util/errors.ts";
import { writeFileAtomically } from "../util/atomic_file.ts";

/** A certificate chain with its key, and what the program needs to know about it. */
export interface SiteCertificate {
  cert: string;
  key: string;
  notBefore: Date;
  notAfter: Date;
  /** Serial number in hex. */
  serial: string;
  /** Its DNS names (subjectAltName). */
  names: string[];
}

/** Reads the facts of a PEM chain (the first certificate is the site's). Throws on a bad certificate. */
export function describeCertificate(cert: string, key: string): SiteCertificate {
  const first = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(cert)?.[0];
  if (!first) throw new Error("no PEM certificate in it");
  const x = new X509Certificate(first);
  const names = (x.subjectAltName ?? "").split(/,\s*/).filter((n) => n.startsWith("DNS:")).map((n) =>
    n.slice(4).toLowerCase()
  );
  return {
    cert,
    key,
    notBefore: new Date(Date.parse(x.validFrom)),
    notAfter: new Date(Date.parse(x.validTo)),
    serial: x.serialNumber,
    names,
  };
}

/** When a certificate is due for renewal: at two thirds of its validity. */
export function renewalTime(c: SiteCertificate): number {
  const from = c.notBefore.getTime();
  return from + (c.notAfter.getTime() - from) * 2 / 3;
}

/** The backoff after `failures` failures in a row: 1 min, doubling, at most 1 h. */
export function retryDelay(failures: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, failures - 1), 3_600_000);
}

/** Where ACME's files live: a directory next to the KV file, owner-only. */
export function tlsDirectory(kvPath: string): string {
  return `${kvPath}.tls`;
}

/** What the keeper needs from the program. */
export interface KeeperOptions {
  domains: string[];
  email?: string;
  directory: string;
  /** The folder for the account and the certificate (created mode 0700). */
  dir: string;
  /** Start serving this certificate (resolves once it is served). */
  use(c: SiteCertificate): Promise<void>;
  /** Publish or withdraw an http-01 key authorization. */
  challenge(token: string, keyAuthorization: string | undefined): void;
  log(line: string): void;
  /** What to say when there is no certificate yet (where the site is served meanwhile). */
  fallback: string;
  now?: () => number;
}

/** Obtains, stores, serves and renews the site's certificate from an ACME directory. */
export class CertificateKeeper {
  current?: SiteCertificate;
  #timer?: ReturnType<typeof setTimeout>;
  #failures = 0;
  #stopped = false;
  #running?: Promise<void>;

  constructor(private readonly opts: KeeperOptions) {}

  get #sitePath() {
    return `${this.opts.dir}/site.pem`;
  }
  get #accountPath() {
    return `${this.opts.dir}/account.json`;
  }
  #now() {
    return this.opts.now?.() ?? Date.now();
  }

  /** Serves the stored certificate if it fits and is valid, then schedules (or starts) the next ACME run. */
  async start(): Promise<void> {
    await Deno.mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    await Deno.chmod(this.opts.dir, 0o700).catch(() => {}); // made earlier with a wider mode
    const stored = await this.#load();
    if (stored) {
      this.current = stored;
      await this.opts.use(stored);
    }
    this.#schedule(stored ? renewalTime(stored) - this.#now() : 0);
  }

  async #load(): Promise<SiteCertificate | undefined> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.#sitePath);
    } catch {
      return undefined;
    }
    try {
      const key = /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----\n/.exec(text)?.[0];
      if (!key) throw new Error("no private key in it");
      const c = describeCertificate(text.replace(key, ""), key);
      const wanted = this.opts.domains.map((d) => d.toLowerCase());
      if (wanted.some((d) => !c.names.includes(d))) return undefined; // the config names other domains
      if (c.notAfter.getTime() <= this.#now()) return undefined;
      return c;
    } catch (e) {
      this.opts.log(`https: ignoring ${this.#sitePath}: ${errorText(e)}`);
      return undefined;
    }
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    // Timers hold at most about 24 days: a longer wait is taken in steps.
    const step = Math.max(0, Math.min(delay, 86_400_000));
    this.#timer = setTimeout(() => {
      if (step < delay) this.#schedule(delay - step);
      else this.#running = this.#renew();
    }, step);
  }

  /**
   * The next step: serve a stored certificate that is newer than the one
   * served and not yet due (obtained earlier but not served, or renewed by a
   * successor process), else ask the directory for a new one.
   */
  async #renew(): Promise<void> {
    const stored = await this.#load();
    if (stored && stored.serial !== this.current?.serial && renewalTime(stored) > this.#now()) {
      return await this.#serve(stored);
    }
    let issued;
    try {
      const { obtainCertificate } = await import("./acme.ts");
      let account: AcmeAccount | undefined;
      try {
        account = JSON.parse(await Deno.readTextFile(this.#accountPath));
      } catch { /* none yet: the client makes one */ }
      issued = await obtainCertificate(this.opts.domains, {
        directory: this.opts.directory,
        email: this.opts.email,
        account,
        saveAccount: (a) => writeFileAtomically(this.#accountPath, JSON.stringify(a), { ownerOnly: true }),
        challenge: this.opts.challenge,
      });
      await writeFileAtomically(this.#sitePath, issued.key + issued.cert, { ownerOnly: true });
    } catch (e) {
      return this.#failed(`ACME at ${this.opts.directory} failed`, e);
    }
    await this.#serve(describeCertificate(issued.cert, issued.key));
  }

  /** Serves a certificate (already stored); a failure to listen is retried from the stored file, not by ACME. */
  async #serve(c: SiteCertificate): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.opts.use(c);
    } catch (e) {
      return this.#failed(`cannot serve the certificate (serial ${c.serial})`, e);
    }
    this.#failures = 0;
    this.current = c;
    this.opts.log(
      `https: certificate for ${
        c.names.join(", ")
      } (serial ${c.serial}) valid until ${c.notAfter.toISOString()}`,
    );
    this.#schedule(renewalTime(c) - this.#now());
  }

  #failed(what: string, e: unknown): void {
    if (this.#stopped) return;
    this.#failures++;
    const delay = retryDelay(this.#failures);
    const still = this.current
      ? `serving the current certificate (valid until ${this.current.notAfter.toISOString()})`
      : this.opts.fallback;
    const reason = errorText(e).replace(/\s+/g, " ");
    this.opts.log(`https: ${what}: ${reason}; ${still}; retrying in ${Math.round(delay / 1000)} s`);
    this.#schedule(delay);
  }

  /** Stops renewing; an ACME run under way gets two seconds to finish (its result is stored, not served). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    if (!this.#running) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.#running.catch(() => {}), new Promise((r) => timer = setTimeout(r, 2000))]);
    clearTimeout(timer);
  }
}

/** The organiser's own certificate files, read at start (a new certificate there takes a restart). */
export class CertificateFiles {
  current?: SiteCertificate;

  constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
    private readonly use: (c: SiteCertificate) => Promise<void>,
  ) {}

  /** Reads and serves the files; throws with a one-line reason when they cannot be used. */
  async start(): Promise<void> {
    const [cert, key] = await Promise.all([
      Deno.readTextFile(this.certFile),
      Deno.readTextFile(this.keyFile),
    ]);
    const c = describeCertificate(cert, key);
    await this.use(c);
    this.current = c;
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
