// The simulator's processes in the database (digipoort_simulator_processes): every instance's
// simulator answers for messages any of them received.
import type { DataSource } from "typeorm";
import type { SimulatedProcess, SimulatorStore } from "./submission/simulator-store.js";

interface StoredStatus {
  code: number;
  description: string;
  at: string;
  error: { code: string; description: string } | null;
}

export function databaseSimulatorStore(dataSource: DataSource): SimulatorStore {
  return {
    async save(kenmerk, process) {
      await dataSource.query("INSERT INTO digipoort_simulator_processes (kenmerk, identity, statuses) VALUES ($1, $2, $3)", [
        kenmerk,
        JSON.stringify(process.identity),
        JSON.stringify(process.statuses.map((s) => ({ ...s, at: s.at.toISOString() }))),
      ]);
    },
    async find(kenmerk) {
      // A kenmerk is a UUID: anything else is simply unknown (and must not reach the uuid cast).
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(kenmerk)) return null;
      const [row] = (await dataSource.query("SELECT identity, statuses FROM digipoort_simulator_processes WHERE kenmerk = $1", [kenmerk])) as Array<{
        identity: SimulatedProcess["identity"];
        statuses: StoredStatus[];
      }>;
      return row ? { identity: row.identity, statuses: row.statuses.map((s) => ({ ...s, at: new Date(s.at) })) } : null;
    },
  };
}
