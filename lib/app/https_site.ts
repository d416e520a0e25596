/**
 * HTTPS for the program: the listener, the certificate (ACME or the
 * organiser's files) and what plain HTTP answers meanwhile.
 *
 * @module
 */
import type { HttpsSettings } from "./config.ts";
import { HttpsListener, plainHandler } from "../web/https.ts";
import {
  CertificateFiles,
  CertificateKeeper,
  type SiteCertificate,
  tlsDirectory,
} from "../tls/certificates.ts";

type Handler = (req: Request, info?: Deno.ServeHandlerInfo) => Response | Promise<Response>;

/** The HTTPS side of a running program. */
export interface HttpsSite {
  /** What the plain HTTP port serves. */
  plain: Handler;
  /** Where HTTPS listens, once it has a certificate. */
  addr(): Deno.NetAddr | undefined;
  /** The certificate being served. */
  certificate(): SiteCertificate | undefined;
  /** The line saying where HTTPS is served, once it is (printed at start, or logged when it begins later). */
  serving(): string | undefined;
  /** Serves the stored or configured certificate (if any) and starts renewing; throws on bad own files. */
  start(httpPort: () => number): Promise<void>;
  stop(): Promise<void>;
}

/** Sets up HTTPS for `site` as the settings say. */
export function httpsSite(
  site: Handler,
  settings: HttpsSettings,
  hostname: string,
  kvPath: string,
  log: (line: string) => void,
): HttpsSite {
  const listener = new HttpsListener(site, hostname, settings.port, log);
  const challenges = new Map<string, string>();
  let source: CertificateKeeper | CertificateFiles;
  const origin = () => {
    const addr = listener.addr;
    if (!addr || settings.domains.length === 0) return undefined;
    return `https://${settings.domains[0]}${addr.port === 443 ? "" : `:${addr.port}`}`;
  };
  const serving = () => {
    const addr = listener.addr;
    if (!addr) return undefined;
    return `ptgbot: serving https://${settings.domains[0] ?? addr.hostname}:${addr.port}/`;
  };
  // The start prints where HTTPS is served; a first certificate that comes later (a first start
  // waiting on ACME) says so itself.
  let started = false;
  const use = async (c: SiteCertificate) => {
    const first = !listener.addr;
    await listener.use(c.cert, c.key);
    if (first && started) log(serving()!);
  };
  return {
    plain: plainHandler(site, challenges, origin),
    addr: () => listener.addr,
    certificate: () => source?.current,
    serving,
    async start(httpPort) {
      if (settings.certFile && settings.keyFile) {
        source = new CertificateFiles(settings.certFile, settings.keyFile, use);
        await source.start();
        started = true;
        return;
      }
      source = new CertificateKeeper({
        domains: settings.domains,
        email: settings.email,
        directory: settings.directory,
        dir: tlsDirectory(kvPath),
        use,
        challenge: (token, auth) => auth ? challenges.set(token, auth) : challenges.delete(token),
        log,
        fallback: `serving plain HTTP only on port ${httpPort()} until there is one`,
      });
      await source.start();
      started = true;
    },
    async stop() {
      await source?.stop();
      await listener.shutdown();
    },
  };
}
