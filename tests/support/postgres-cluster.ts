import { execFileSync } from "node:child_process";
import { hasPostgresBinaries } from "../../scripts/lib/system";

const SCRIPT = "scripts/pg-cluster.sh";

export { hasPostgresBinaries };

export type PostgresCluster = { url: string; stop(): void; start(): void; remove(): void };

/** A throwaway PostgreSQL cluster of its own, so that stopping it disturbs no other test. */
export function startPostgresCluster(port = 56000 + Math.floor(Math.random() * 1000)): PostgresCluster {
  const [dir, url] = execFileSync("bash", [SCRIPT, "start", String(port)], { encoding: "utf8" }).trim().split(" ");
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
