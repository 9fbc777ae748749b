// Where the simulator keeps its processes (a kenmerk's identity and planned statuses). In memory for
// a simulator on its own; in the database when several server instances each run one, so that a
// status request reaching any of them finds a message another one received (as with one Digipoort).
export interface PlannedStatus {
  code: number;
  description: string;
  at: Date;
  error: { code: string; description: string } | null;
}

export interface SimulatedProcess {
  identity: { nummer: string; type: string };
  statuses: PlannedStatus[];
}

export interface SimulatorStore {
  save(kenmerk: string, process: SimulatedProcess): Promise<void>;
  /** The process of a kenmerk, or null when this Digipoort never gave it. */
  find(kenmerk: string): Promise<SimulatedProcess | null>;
}

export function memorySimulatorStore(): SimulatorStore {
  const processes = new Map<string, SimulatedProcess>();
  return {
    save: async (kenmerk, process) => void processes.set(kenmerk, process),
    find: async (kenmerk) => processes.get(kenmerk) ?? null,
  };
}
