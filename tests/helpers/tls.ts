/** Certificates for TLS tests, made with openssl: for localhost and 127.0.0.1, self-signed or from a test CA. */

async function openssl(...args: string[]): Promise<void> {
  const made = await new Deno.Command("openssl", { args, stdout: "null", stderr: "piped" }).output();
  if (!made.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(made.stderr)}`);
}

/**
 * Writes `key.pem` and `cert.pem` into `dir`; with `ca`, the certificate is
 * signed by a test CA whose certificate file is returned (else it is
 * self-signed and nothing is returned).
 */
export async function testCertificate(dir: string, ca: boolean): Promise<string | undefined> {
  const san = "subjectAltName=DNS:localhost,IP:127.0.0.1";
  const key = ["-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/key.pem`];
  if (!ca) {
    await openssl(
      "req",
      "-x509",
      ...key,
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      san,
      "-out",
      `${dir}/cert.pem`,
    );
    return undefined;
  }
  const caFile = `${dir}/ca.pem`;
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=ptgbot test CA",
    "-keyout",
    `${dir}/ca.key`,
    "-out",
    caFile,
  );
  await openssl("req", "-new", ...key, "-subj", "/CN=localhost", "-out", `${dir}/server.csr`);
  await Deno.writeTextFile(
    `${dir}/server.ext`,
    `${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  await openssl(
    "x509",
    "-req",
    "-in",
    `${dir}/server.csr`,
    "-CA",
    caFile,
    "-CAkey",
    `${dir}/ca.key`,
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    `${dir}/server.ext`,
    "-out",
    `${dir}/cert.pem`,
  );
  return caFile;
}
