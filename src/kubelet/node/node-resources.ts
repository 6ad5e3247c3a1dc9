// Capacity and allocatable, as upstream's kubelet computes them: capacity from the machine
// (cpu, memory, ephemeral-storage, pods, hugepages-<size>), allocatable = capacity −
// kube-reserved − system-reserved − the hard eviction thresholds (memory.available and
// nodefs.available only, as upstream's container manager GetNodeAllocatableReservation), and
// memory allocatable also less the hugepages reserved. Pure: the numbers come in.
import { formatQuantity, parseQuantity, quantityFromMilli, quantityFromValue, quantityToMilli, quantityValue } from '../../api/light.js';

/** Upstream's default --max-pods. */
export const DEFAULT_MAX_PODS = 110;

/** Eviction signals the kubelet observes (upstream names). */
export type EvictionSignal = 'memory.available' | 'nodefs.available' | 'nodefs.inodesFree' | 'imagefs.available' | 'imagefs.inodesFree' | 'pid.available';

/** `signal<value`: a quantity (bytes or a count) or a fraction of the capacity. */
export interface EvictionThreshold {
  signal: EvictionSignal;
  quantity?: number;
  /** 0–1. */
  percentage?: number;
}

const SIGNALS: readonly EvictionSignal[] = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'];

/**
 * Upstream's Linux --eviction-hard defaults, plus pid.available<5% (upstream sets no default
 * PID threshold; without one PIDPressure could never be reported).
 */
export const DEFAULT_EVICTION_HARD = 'memory.available<100Mi,nodefs.available<10%,imagefs.available<15%,nodefs.inodesFree<5%,pid.available<5%';

/** `memory.available<100Mi,nodefs.available<10%` → thresholds (upstream's --eviction-hard syntax). */
export function parseEvictionThresholds(text: string, flag = '--eviction-hard'): EvictionThreshold[] {
  const out: EvictionThreshold[] = [];
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-zA-Z.]+)<(.+)$/.exec(entry);
    if (!m) throw new Error(`invalid ${flag} entry "${entry}": want signal<value`);
    const signal = m[1] as EvictionSignal;
    if (!SIGNALS.includes(signal)) throw new Error(`invalid ${flag} entry "${entry}": unknown signal "${m[1]}"`);
    const v = m[2]!;
    if (v.endsWith('%')) {
      const p = Number(v.slice(0, -1));
      if (!Number.isFinite(p) || p < 0 || p > 100) throw new Error(`invalid ${flag} entry "${entry}": percentage must be 0–100`);
      out.push({ signal, percentage: p / 100 });
    } else {
      let q: number;
      try {
        q = quantityValue(parseQuantity(v));
      } catch {
        throw new Error(`invalid ${flag} entry "${entry}": "${v}" is not a quantity`);
      }
      if (q < 0) throw new Error(`invalid ${flag} entry "${entry}": must not be negative`);
      out.push({ signal, quantity: q });
    }
  }
  return out;
}

/** The amount a threshold keeps free out of `capacity` (bytes, inodes or pids). */
export function thresholdAmount(t: EvictionThreshold, capacity: number): number {
  return t.quantity ?? Math.round((t.percentage ?? 0) * capacity);
}

/** Reserved resources of `--kube-reserved` / `--system-reserved` (`cpu=100m,memory=100Mi,ephemeral-storage=1Gi,pid=100`). */
export type Reservation = Partial<Record<'cpu' | 'memory' | 'ephemeral-storage' | 'pid', string>>;

export function parseReservation(text: string | undefined, flag: string): Reservation {
  const out: Reservation = {};
  for (const entry of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = entry.indexOf('=');
    const key = entry.slice(0, i);
    if (i <= 0 || !['cpu', 'memory', 'ephemeral-storage', 'pid'].includes(key)) {
      throw new Error(`invalid ${flag} entry "${entry}": want cpu=, memory=, ephemeral-storage= or pid=QUANTITY`);
    }
    try {
      if (quantityValue(parseQuantity(entry.slice(i + 1))) < 0) throw new Error('negative');
    } catch {
      throw new Error(`invalid ${flag} entry "${entry}": "${entry.slice(i + 1)}" is not a non-negative quantity`);
    }
    out[key as keyof Reservation] = entry.slice(i + 1);
  }
  return out;
}

/** What the machine has, in plain numbers. */
export interface MachineCapacity {
  cpus: number;
  memoryBytes: number;
  /** Size of the filesystem holding the kubelet's data dir (nodefs). */
  nodefsBytes: number;
  maxPods: number;
  /** Hugepage bytes by size name (`2Mi`, `1Gi`). */
  hugepages: Record<string, number>;
}

export interface NodeResources {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
}

const bytes = (n: number) => formatQuantity(quantityFromValue(Math.max(0, Math.floor(n)), 'BinarySI'));
const reservedValue = (r: Reservation, k: keyof Reservation) => (r[k] ? quantityValue(parseQuantity(r[k])) : 0);

/** Capacity and allocatable quantities as a Node's status reports them. */
export function nodeResources(m: MachineCapacity, kubeReserved: Reservation, systemReserved: Reservation, hard: EvictionThreshold[]): NodeResources {
  const capacity: Record<string, string> = {
    cpu: formatQuantity(quantityFromMilli(m.cpus * 1000)),
    'ephemeral-storage': bytes(m.nodefsBytes),
    memory: bytes(m.memoryBytes),
    pods: String(m.maxPods),
  };
  let hugepagesTotal = 0;
  for (const size of ['1Gi', '2Mi', ...Object.keys(m.hugepages)]) {
    const b = m.hugepages[size] ?? 0;
    capacity[`hugepages-${size}`] = bytes(b);
  }
  for (const b of Object.values(m.hugepages)) hugepagesTotal += b;
  const evict = (signal: EvictionSignal, cap: number) => {
    const t = hard.find((x) => x.signal === signal);
    return t ? thresholdAmount(t, cap) : 0;
  };
  const cpuMilli = m.cpus * 1000
    - (kubeReserved.cpu ? quantityToMilli(parseQuantity(kubeReserved.cpu)) : 0)
    - (systemReserved.cpu ? quantityToMilli(parseQuantity(systemReserved.cpu)) : 0);
  const memory = m.memoryBytes - reservedValue(kubeReserved, 'memory') - reservedValue(systemReserved, 'memory')
    - evict('memory.available', m.memoryBytes) - hugepagesTotal;
  const storage = m.nodefsBytes - reservedValue(kubeReserved, 'ephemeral-storage') - reservedValue(systemReserved, 'ephemeral-storage')
    - evict('nodefs.available', m.nodefsBytes);
  const allocatable: Record<string, string> = {
    ...capacity,
    cpu: formatQuantity(quantityFromMilli(Math.max(0, cpuMilli))),
    'ephemeral-storage': bytes(storage),
    memory: bytes(memory),
  };
  return { capacity, allocatable };
}
