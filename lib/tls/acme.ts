/**
 * A small ACME client (RFC 8555) for one job: a certificate for a few DNS
 * names through the http-01 challenge. Requests go through `fetch`, so the
 * directory's CA is trusted through the system store or `DENO_CERT`; the
 * account key signs with ES256 on WebCrypto; the certificate signing
 * request is built by `@peculiar/x509`, loaded only when one is made.
 *
 * @module
 */

/** The account: its private key (a JWK) and its URL at the directory it was made with. */
export interface AcmeAccount {
  directory: string;
  /** The account URL (the JWS `kid`); absent until the directory has it. */
  url?: string;
  key: JsonWebKey;
}

/** A certificate the directory issued: the chain and its private key, both PEM. */
export interface Issued {
  cert: string;
  key: string;
}

/** What a run needs from its caller. */
export interface AcmeOptions {
  directory: string;
  email?: string;
  account?: AcmeAccount;
  /** Store the account as soon as it exists (it is reused for every renewal). */
  saveAccount(account: AcmeAccount): Promise<void>;
  /** Publish a key authorization at `/.well-known/acme-challenge/TOKEN` (undefined: withdraw it). */
  challenge(token: string, keyAuthorization: string | undefined): void;
  /** How long to wait for the directory to validate and issue. */
  timeoutMs?: number;
}

interface Directory {
  newNonce: string;
  newAccount: string;
  newOrder: string;
}

interface Order {
  status: string;
  authorizations: string[];
  finalize: string;
  certificate?: string;
  error?: Problem;
}

interface Problem {
  type?: string;
  detail?: string;
}

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const encoder = new TextEncoder();

/** base64url without padding (RFC 7515). */
function b64url(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${label}-----\n${
    b64.replace(/.{64}/g, "$&\n").replace(/\n$/, "")
  }\n-----END ${label}-----\n`;
}

/** The one-line reason of an ACME error document. */
function problemText(p: Problem | undefined, fallback: string): string {
  if (!p) return fallback;
  const type = p.type?.replace(/^urn:ietf:params:acme:error:/, "") ?? "error";
  return `${type}: ${p.detail ?? fallback}`.replace(/\s+/g, " ");
}

class AcmeError extends Error {
  constructor(message: string, readonly type?: string) {
    super(message);
  }
}

/** Each request to the directory: one that hangs fails after 30 s, and the run is retried later. */
const request = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One session with a directory: its nonces, the account key and the account URL. */
class Session {
  #nonce?: string;
  #dir!: Directory;
  #privateKey!: CryptoKey;
  #jwk!: JsonWebKey;
  thumbprint = "";
  kid?: string;

  constructor(private readonly directoryUrl: string) {}

  async open(account: AcmeAccount | undefined): Promise<AcmeAccount> {
    const res = await request(this.directoryUrl, { headers: { accept: "application/json" } });
    if (!res.ok) throw new AcmeError(`directory ${this.directoryUrl} answered ${res.status}`);
    this.#dir = await res.json();
    if (!this.#dir.newNonce || !this.#dir.newOrder) throw new AcmeError("not an ACME directory");
    let key = account?.directory === this.directoryUrl ? account.key : undefined;
    if (key) {
      this.#privateKey = await crypto.subtle.importKey("jwk", key, EC, false, ["sign"]);
      this.kid = account?.url;
    } else {
      const pair = await crypto.subtle.generateKey(EC, true, ["sign", "verify"]) as CryptoKeyPair;
      this.#privateKey = pair.privateKey;
      key = await crypto.subtle.exportKey("jwk", pair.privateKey);
    }
    const { crv, kty, x, y } = key;
    this.#jwk = { crv, kty, x, y };
    // RFC 7638: the members in lexicographic order, no spaces.
    const canonical = JSON.stringify({ crv, kty, x, y });
    this.thumbprint = b64url(
      new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(canonical))),
    );
    return { directory: this.directoryUrl, url: this.kid, key };
  }

  get directory(): Directory {
    return this.#dir;
  }

  async #freshNonce(): Promise<string> {
    if (this.#nonce) {
      const n = this.#nonce;
      this.#nonce = undefined;
      return n;
    }
    const res = await request(this.#dir.newNonce, { method: "HEAD" });
    await res.body?.cancel();
    const n = res.headers.get("replay-nonce");
    if (!n) throw new AcmeError("the directory gave no nonce");
    return n;
  }

  /** A signed POST (payload undefined: POST-as-GET); retries once on a rejected nonce. */
  async post(url: string, payload: unknown, useJwk = false): Promise<{ res: Response; body: unknown }> {
    for (let attempt = 0;; attempt++) {
      const header: Record<string, unknown> = { alg: "ES256", nonce: await this.#freshNonce(), url };
      if (useJwk || !this.kid) header.jwk = this.#jwk;
      else header.kid = this.kid;
      const protectedPart = b64url(JSON.stringify(header));
      const payloadPart = payload === undefined ? "" : b64url(JSON.stringify(payload));
      const signature = new Uint8Array(
        await crypto.subtle.sign(SIGN, this.#privateKey, encoder.encode(`${protectedPart}.${payloadPart}`)),
      );
      const res = await request(url, {
        method: "POST",
        headers: { "content-type": "application/jose+json" },
        body: JSON.stringify({
          protected: protectedPart,
          payload: payloadPart,
          signature: b64url(signature),
        }),
      });
      this.#nonce = res.headers.get("replay-nonce") ?? undefined;
      const type = res.headers.get("content-type") ?? "";
      const body = type.includes("json") ? await res.json() : await res.text();
      if (res.ok) return { res, body };
      const problem = typeof body === "object" ? body as Problem : undefined;
      if (problem?.type?.endsWith(":badNonce") && attempt < 2) continue;
      throw new AcmeError(
        problemText(problem, `${url} answered ${res.status}`),
        problem?.type,
      );
    }
  }
}

/** Polls an order or authorization until it leaves the pending/processing states. */
async function poll<T extends { status: string }>(
  session: Session,
  url: string,
  until: number,
): Promise<T> {
  for (let wait = 250;; wait = Math.min(wait * 2, 3000)) {
    const { res, body } = await session.post(url, undefined);
    const obj = body as T;
    if (obj.status !== "pending" && obj.status !== "processing") return obj;
    if (Date.now() > until) throw new AcmeError(`still ${obj.status} at ${url}`);
    const after = Number(res.headers.get("retry-after"));
    await sleep(after > 0 ? Math.min(after * 1000, 10_000) : wait);
  }
}

/** Obtains a certificate for `domains` (the first is the subject). Throws an Error with a one-line message. */
export async function obtainCertificate(domains: string[], opts: AcmeOptions): Promise<Issued> {
  const until = Date.now() + (opts.timeoutMs ?? 120_000);
  const session = new Session(opts.directory);
  const account = await session.open(opts.account);
  const register = async () => {
    // With the stored key, newAccount finds the account again if the directory still has it (RFC 8555 7.3.1).
    const { res } = await session.post(session.directory.newAccount, {
      termsOfServiceAgreed: true,
      ...(opts.email ? { contact: [`mailto:${opts.email}`] } : {}),
    }, true);
    session.kid = res.headers.get("location") ?? undefined;
    if (!session.kid) throw new AcmeError("the directory gave no account URL");
    account.url = session.kid;
    await opts.saveAccount(account);
  };
  if (!session.kid) await register();

  const newOrder = () =>
    session.post(session.directory.newOrder, {
      identifiers: domains.map((value) => ({ type: "dns" as const, value })),
    });
  let placed;
  try {
    placed = await newOrder();
  } catch (e) {
    // The directory forgot the stored account (a test directory restarted, an account deleted): a new one.
    if (!(e instanceof AcmeError && e.type?.endsWith(":accountDoesNotExist"))) throw e;
    await register();
    placed = await newOrder();
  }
  const { res: orderRes, body } = placed;
  let order = body as Order;
  const orderUrl = orderRes.headers.get("location");
  if (!orderUrl) throw new AcmeError("the directory gave no order URL");

  const published: string[] = [];
  try {
    for (const authzUrl of order.authorizations) {
      const { body: authz } = await session.post(authzUrl, undefined);
      const a = authz as {
        status: string;
        identifier: { value: string };
        challenges: { type: string; url: string; token: string }[];
      };
      if (a.status === "valid") continue;
      const ch = a.challenges.find((c) => c.type === "http-01");
      if (!ch) throw new AcmeError(`no http-01 challenge offered for ${a.identifier.value}`);
      opts.challenge(ch.token, `${ch.token}.${session.thumbprint}`);
      published.push(ch.token);
      await session.post(ch.url, {});
      const done = await poll<{ status: string; challenges: { error?: Problem }[] }>(
        session,
        authzUrl,
        until,
      );
      if (done.status !== "valid") {
        const error = done.challenges.find((c) => c.error)?.error;
        throw new AcmeError(`${a.identifier.value} not validated (${problemText(error, done.status)})`);
      }
    }
  } finally {
    for (const token of published) opts.challenge(token, undefined);
  }

  const pair = await crypto.subtle.generateKey(EC, true, ["sign", "verify"]) as CryptoKeyPair;
  // @peculiar/x509 needs the Reflect metadata API (its dependency injection), polyfilled first.
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(crypto);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${domains[0]}`,
    keys: pair,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.SubjectAlternativeNameExtension(domains.map((value) => ({ type: "dns" as const, value }))),
    ],
  });
  const finalized = await session.post(order.finalize, { csr: b64url(new Uint8Array(csr.rawData)) });
  order = finalized.body as Order;
  if (order.status !== "valid") order = await poll<Order>(session, orderUrl, until);
  if (order.status !== "valid" || !order.certificate) {
    throw new AcmeError(`order ${order.status} (${problemText(order.error, "no certificate")})`);
  }
  const { body: chain } = await session.post(order.certificate, undefined);
  if (typeof chain !== "string" || !chain.includes("BEGIN CERTIFICATE")) {
    throw new AcmeError("the directory sent no PEM certificate");
  }
  return { cert: chain, key: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", pair.privateKey)) };
}
