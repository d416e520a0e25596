/**
 * A services-backed IRC network for the tests: Debian's InspIRCd 3 linked to
 * Atheme (NickServ, SaslServ with PLAIN and EXTERNAL) on loopback, each in the
 * foreground in a temp dir, as `nobody` when the tests run as root (both
 * refuse root). Variants turn off SASL, the IRCv3 account extensions
 * (account-tag, account-notify, extended-join) and WHOX.
 *
 * InspIRCd 3 has WHOX in its core and no setting to hide it, so "no WHOX" is
 * a small loopback line filter in front of the real server that removes the
 * `WHOX` token from its 005 lines; the bot connects to the filter's port.
 */
import { freePort, TestClient } from "./irc.ts";
import { lines } from "../../lib/app/console.ts";
import { testCertificate } from "./tls.ts";

/** What to start. */
export interface ServicesOptions {
  /** m_sasl loaded (default true); without it NickServ IDENTIFY is the only way to log in. */
  sasl?: boolean;
  /** account-tag, account-notify and extended-join offered (default true). */
  accountExtensions?: boolean;
  /** With the extensions, account-tag too (default true): false keeps account-notify and extended-join alone. */
  accountTag?: boolean;
  /** WHOX in ISUPPORT (default true); false puts the filter in front of `port`. */
  whox?: boolean;
  /**
   * WHOIS names the account (330, default true). false has the filter tell it as OFTC's WHOIS does:
   * 307 "has identified for this nick" for someone logged in to the account of their own nick, and
   * nothing otherwise (InspIRCd with Atheme sends no 307 of its own).
   */
  whoisAccount?: boolean;
  /** SaslServ offers EXTERNAL (default true); false leaves PLAIN alone. */
  external?: boolean;
  /** A TLS port too, with a certificate signed by a test CA (`caFile`), asking clients for theirs. */
  tls?: boolean;
}

/** A running InspIRCd + Atheme. */
export interface Services {
  /** Where the bot connects (the filter's port without WHOX). */
  port: number;
  /** The real server's plain port (test clients may use either). */
  serverPort: number;
  tlsPort?: number;
  caFile?: string;
  dir: string;
  /**
   * A loopback proxy to the server (without WHOX when the network has none)
   * that records every line its clients send: to count what the bot sent.
   */
  recorder(): LineProxy;
  /** Registers ACCOUNT with PASSWORD through NickServ REGISTER (and CERT ADD for each fingerprint). */
  register(account: string, password: string, fingerprints?: string[]): Promise<void>;
  /** A client connected and identified to NickServ as `account` (under `nick`, default the account). */
  identified(account: string, password: string, nick?: string, channel?: string): Promise<TestClient>;
  stop(): Promise<void>;
  /** Kills both daemons at once (done for every network still running when the process ends). */
  kill(): void;
  /** Freezes Atheme (SIGSTOP): linked but silent, as slow services are; `thaw` lets it go on. */
  freeze(): void;
  thaw(): void;
}

const NOBODY = 65534;

/** Networks still running: a test file sharing one stops it only when the file's process ends. */
const running = new Set<() => void>();
globalThis.addEventListener("unload", () => {
  for (const kill of running) kill();
});

/** Runs as `nobody` when we are root: both daemons refuse to run as root. */
function command(program: string, args: string[]): Deno.Command {
  const asRoot = Deno.uid() === 0;
  return new Deno.Command(asRoot ? "setpriv" : program, {
    args: asRoot ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", program, ...args] : args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Collects a process's output and resolves when a line matches `ready`. */
function watch(proc: Deno.ChildProcess, name: string, ready: RegExp, timeoutMs = 15_000): Promise<void> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`${name} did not start:\n${seen.join("\n")}`)),
      timeoutMs,
    );
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      err ? reject(err) : resolve();
    };
    const pump = async (s: ReadableStream<Uint8Array>) => {
      for await (const line of lines(s)) {
        seen.push(line);
        if (ready.test(line)) finish();
      }
    };
    void Promise.all([pump(proc.stdout), pump(proc.stderr)]).then(() =>
      finish(new Error(`${name} exited:\n${seen.join("\n")}`))
    );
  });
}

function inspircdConf(
  dir: string,
  o: ServicesOptions,
  ports: { client: number; link: number; tls?: number },
) {
  const modules = ["spanningtree", "services_account", "cap", "sslinfo"];
  if (o.sasl !== false) modules.push("sasl");
  if (o.accountExtensions !== false) modules.push("ircv3");
  if (o.accountExtensions !== false && o.accountTag !== false) modules.push("ircv3_accounttag");
  if (o.tls) modules.push("ssl_gnutls");
  const tls = o.tls
    ? `<sslprofile name="main" provider="gnutls" certfile="${dir}/cert.pem" keyfile="${dir}/key.pem" ` +
      `requestclientcert="yes" hash="sha256">\n` +
      `<bind address="127.0.0.1" port="${ports.tls}" type="clients" sslprofile="main">\n`
    : "";
  return `<config format="xml">
<server name="irc.ptgbot.test" description="ptgbot test server" network="PtgTest" id="1AB">
<admin name="test" nick="test" email="admin@ptgbot.test">
<bind address="127.0.0.1" port="${ports.client}" type="clients">
<bind address="127.0.0.1" port="${ports.link}" type="servers">
${tls}<connect allow="*" timeout="60" pingfreq="120" hardsendq="1M" softsendq="100000" recvq="100000"
  threshold="1000" commandrate="1000000" fakelag="off" localmax="1000" globalmax="1000"
  maxconnwarn="off" useident="no" resolvehostnames="no">
<performance nouserdns="yes">
<pid file="${dir}/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${dir}/inspircd.log">
${modules.map((m) => `<module name="${m}">`).join("\n")}
<link name="services.ptgbot.test" ipaddr="127.0.0.1" port="${ports.link}" allowmask="127.0.0.1"
  sendpass="linkpw" recvpass="linkpw">
<uline server="services.ptgbot.test" silent="yes">
<sasl target="services.ptgbot.test">
`;
}

function athemeConf(dir: string, linkPort: number, external: boolean) {
  const modules = [
    "protocol/inspircd",
    "backend/opensex",
    "crypto/pbkdf2v2",
    "nickserv/main",
    "nickserv/register",
    "nickserv/identify",
    "nickserv/ghost",
    "nickserv/cert",
    "nickserv/info",
    "nickserv/help",
    "nickserv/logout",
    "saslserv/main",
    "saslserv/plain",
    ...(external ? ["saslserv/external"] : []),
  ];
  return `${modules.map((m) => `loadmodule "modules/${m}";`).join("\n")}
serverinfo {
  name = "services.ptgbot.test"; desc = "ptgbot test services"; numeric = "00A"; recontime = 1;
  netname = "PtgTest"; hidehostsuffix = "users.ptgbot.test"; adminname = "test";
  adminemail = "admin@ptgbot.test"; registeremail = "noreply@ptgbot.test"; mta = "/bin/true";
  loglevel = { error; info; }; maxlogins = 5; maxusers = 50; mdlimit = 30; emaillimit = 10;
  emailtime = 300; auth = none; casemapping = rfc1459;
};
uplink "irc.ptgbot.test" { host = "127.0.0.1"; password = "linkpw"; port = ${linkPort}; };
nickserv {
  nick = "NickServ"; user = "NickServ"; host = "services.ptgbot.test"; real = "Nickname Services";
  maxnicks = 5; expire = 30;
};
saslserv { nick = "SaslServ"; user = "SaslServ"; host = "services.ptgbot.test"; real = "SASL"; };
general {
  permissive_mode; helpchan = "#help"; uflags = { hidemail; }; cflags = { verbose; };
  flood_msgs = 0; flood_time = 10; ratelimit_uses = 0; ratelimit_period = 0; vhost_change = 30;
  kline_time = 7; commit_interval = 5; default_clone_allowed = 50; clone_time = 0;
  uplink_sendq_limit = 1048576; language = "en"; exempts { };
};
database { };
logfile "${dir}/atheme.log" { error; info; admin; network; };
`;
}

/** The SHA-256 fingerprint of a PEM certificate, as InspIRCd reports it (lower-case hex, no colons). */
export async function fingerprint(certFile: string): Promise<string> {
  const out = await new Deno.Command("openssl", {
    args: ["x509", "-in", certFile, "-noout", "-fingerprint", "-sha256"],
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return text.slice(text.indexOf("=") + 1).trim().replaceAll(":", "").toLowerCase();
}

/** Starts InspIRCd, then Atheme; resolves once services have linked and synced. */
export async function startServices(o: ServicesOptions = {}): Promise<Services> {
  const dir = await Deno.makeTempDir({ prefix: "ptgbot-services-" });
  await Deno.chmod(dir, 0o777);
  const ports = { client: freePort(), link: freePort(), tls: o.tls ? freePort() : undefined };
  const filtering = { noWhox: o.whox === false, no330: o.whoisAccount === false };
  let caFile: string | undefined;
  if (o.tls) {
    caFile = await testCertificate(dir, true);
    await Deno.chmod(`${dir}/key.pem`, 0o644);
  }
  await Deno.mkdir(`${dir}/data`, { mode: 0o777 });
  await Deno.chmod(`${dir}/data`, 0o777);
  await Deno.writeTextFile(`${dir}/inspircd.conf`, inspircdConf(dir, o, ports));
  await Deno.writeTextFile(`${dir}/atheme.conf`, athemeConf(dir, ports.link, o.external !== false));
  const procs: Deno.ChildProcess[] = [];
  let filter: LineProxy | undefined;
  const kill = () => {
    filter?.close();
    for (const p of procs) {
      try {
        p.kill("SIGKILL");
      } catch { /* gone */ }
    }
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* a daemon still writing: its temp dir stays */ }
  };
  const stop = async () => {
    running.delete(kill);
    filter?.close();
    for (const p of procs.reverse()) {
      try {
        p.kill("SIGKILL");
      } catch { /* gone */ }
      await p.status;
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  running.add(kill);
  try {
    const ircd = command("inspircd", ["--nofork", `--config=${dir}/inspircd.conf`]).spawn();
    procs.push(ircd);
    await watch(ircd, "inspircd", /is now running as/);
    const atheme = command("atheme-services", [
      "-n",
      "-c",
      `${dir}/atheme.conf`,
      "-D",
      `${dir}/data`,
      "-l",
      `${dir}/atheme.log`,
      "-p",
      `${dir}/atheme.pid`,
    ]).spawn();
    procs.push(atheme);
    await watch(atheme, "atheme", /finished synching with uplink/);
    if (o.whox === false || o.whoisAccount === false) filter = startLineProxy(ports.client, filtering);
  } catch (e) {
    await stop();
    throw e;
  }
  const services: Services = {
    port: filter?.port ?? ports.client,
    serverPort: ports.client,
    tlsPort: ports.tls,
    caFile,
    dir,
    recorder: () => startLineProxy(ports.client, filtering),
    kill,
    freeze: () => procs[1].kill("SIGSTOP"),
    thaw: () => procs[1].kill("SIGCONT"),
    async register(account, password, fingerprints = []) {
      const c = await TestClient.connect(ports.client, account);
      try {
        await nickServ(c, `REGISTER ${password} ${account}@example.org`, /registered/i);
        for (const fp of fingerprints) await nickServ(c, `CERT ADD ${fp}`, /added/i);
        await c.send("QUIT");
      } finally {
        c.close();
      }
    },
    async identified(account, password, nick = account, channel) {
      const c = await TestClient.connect(ports.client, nick);
      await nickServ(c, `IDENTIFY ${account} ${password}`, /you are now identified/i);
      if (channel) await c.join(channel);
      return c;
    },
    stop,
  };
  return services;
}

/** Sends a line to NickServ and waits for its notice matching `answer`. */
export async function nickServ(c: TestClient, line: string, answer: RegExp): Promise<void> {
  const since = c.raw.length;
  await c.say("NickServ", line);
  await c.until(() => c.raw.slice(since).some((l) => /^:NickServ!\S* NOTICE /.test(l) && answer.test(l)))
    .catch((e) => {
      throw new Error(`NickServ ${line.split(" ")[0]}: ${e.message}`);
    });
}

/** A loopback line proxy. */
export interface LineProxy {
  port: number;
  /** Every line its clients sent so far. */
  sent(): string[];
  /** Drops the connections open now (as a network fault would); new ones are taken as before. */
  drop(): void;
  close(): void;
}

/**
 * A loopback proxy to `target` that records what clients send and, with `noWhox`, drops WHOX from 005
 * lines; with `no330`, tells WHOIS's account line the OFTC way (307, for one's own nick only).
 */
function startLineProxy(target: number, filter: { noWhox: boolean; no330: boolean }): LineProxy {
  const sent: string[] = [];
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const enc = new TextEncoder();
  const closeBoth = (a: Deno.Conn, b: Deno.Conn) => {
    for (const c of [a, b]) {
      try {
        c.close();
      } catch { /* closed */ }
    }
  };
  void (async () => {
    try {
      for await (const conn of listener) {
        const up = await Deno.connect({ hostname: "127.0.0.1", port: target }).catch(() => undefined);
        if (!up) {
          conn.close();
          continue;
        }
        open.add(conn).add(up);
        void (async () => {
          const w = up.writable.getWriter();
          try {
            for await (const line of lines(conn.readable)) {
              sent.push(line);
              await w.write(enc.encode(line + "\r\n"));
            }
          } catch { /* closed */ }
          closeBoth(conn, up);
        })();
        void (async () => {
          const w = conn.writable.getWriter();
          try {
            for await (const line of lines(up.readable)) {
              const whois = filter.no330 ? / 330 (\S+) (\S+) (\S+) :/.exec(line) : null;
              if (whois) {
                const [, me, nick, account] = whois;
                if (nick.toLowerCase() === account.toLowerCase()) {
                  const server = line.split(" ")[0];
                  await w.write(enc.encode(`${server} 307 ${me} ${nick} :has identified for this nick\r\n`));
                }
                continue;
              }
              const out = filter.noWhox && / 005 /.test(line.split(" :")[0])
                ? line.replace(/ WHOX(?==| |$)(=\S*)?/, "")
                : line;
              await w.write(enc.encode(out + "\r\n"));
            }
          } catch { /* closed */ }
          closeBoth(conn, up);
        })();
      }
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    sent: () => [...sent],
    drop() {
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      open.clear();
    },
    close() {
      try {
        listener.close();
      } catch { /* closed */ }
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

/** How many of `lines` carry `password`, in the clear or in a SASL AUTHENTICATE payload. */
export function passwordSends(lines: string[], password: string): number {
  return lines.filter((l) => {
    if (l.includes(password)) return true;
    const m = /^AUTHENTICATE (\S+)$/.exec(l);
    if (!m || m[1] === "+") return false;
    try {
      return atob(m[1]).includes(password);
    } catch {
      return false;
    }
  }).length;
}
