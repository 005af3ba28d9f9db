import { execFileSync } from "node:child_process";
import { hasPostgresBinaries } from "../../scripts/lib/system";

const SCRIPT = "scripts/pg-cluster.sh";

export { hasPostgresBinaries };

export type PostgresCluster = { url: string; stop(): void; start(): void; remove(): void };

/**
 * Ports for throwaway clusters: below Linux's ephemeral range (32768-60999), where the load test's thousands of client
 * sockets live, one of which once held the port a cluster was about to listen on ("Address already in use").
 */
const randomClusterPort = () => 20_000 + Math.floor(Math.random() * 10_000);
const START_ATTEMPTS = 3;

/** Starts a cluster, on another port if the chosen one turns out taken. */
function startOnFreePort(port: number | undefined): { dir: string; url: string; port: number } {
  for (let attempt = 1; ; attempt += 1) {
    const candidate = port ?? randomClusterPort();
    try {
      const [dir, url] = execFileSync("bash", [SCRIPT, "start", String(candidate)], { encoding: "utf8" }).trim().split(" ");
      return { dir, url, port: candidate };
    } catch (error) {
      if (port !== undefined || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

/** A throwaway PostgreSQL cluster of its own, so that stopping it disturbs no other test. */
export function startPostgresCluster(requestedPort?: number): PostgresCluster {
  const { dir, url, port } = startOnFreePort(requestedPort);
  const pgCtl = (action: "stop" | "start") => {
    const asOwner = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
    const args = [...asOwner, "pg_ctl", "-D", `${dir}/data`, "-w", "-m", "fast", "-l", `${dir}/server.log`];
    if (action === "start") args.push("-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`);
    execFileSync(args[0], [...args.slice(1), action], { stdio: "ignore" });
  };
  return {
    url,
    stop: () => pgCtl("stop"),
    start: () => pgCtl("start"),
    remove: () => execFileSync("bash", [SCRIPT, "stop", dir]),
  };
}
