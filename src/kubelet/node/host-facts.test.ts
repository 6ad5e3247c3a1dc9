import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goArch, hugepageBytes, hugepageSizeName, maxPID, parseCpuList, parseLoadavgThreads, parseMeminfo, parseOsRelease, pickNodeIP } from './host-facts.js';

test('parseCpuList counts ranges and singles', () => {
  assert.equal(parseCpuList('0-1\n'), 2);
  assert.equal(parseCpuList('0'), 1);
  assert.equal(parseCpuList('0-3,6,8-9'), 7);
  assert.throws(() => parseCpuList('a-b'), /malformed cpu list/);
  assert.throws(() => parseCpuList('3-1'), /malformed cpu list/);
});

test('parseMeminfo reads MemTotal and MemAvailable in bytes', () => {
  const text = 'MemTotal:       24683792 kB\nMemFree:        23629776 kB\nMemAvailable:   23932792 kB\nHugePages_Total:       0\n';
  assert.deepEqual(parseMeminfo(text), { totalBytes: 24683792 * 1024, availableBytes: 23932792 * 1024 });
  // Kernels before 3.14 have no MemAvailable.
  assert.deepEqual(parseMeminfo('MemTotal: 100 kB\nMemFree: 10 kB\nBuffers: 1 kB\nCached: 5 kB\n'), { totalBytes: 102400, availableBytes: 16 * 1024 });
  assert.throws(() => parseMeminfo('MemFree: 1 kB\n'), /no MemTotal/);
});

test('parseOsRelease returns PRETTY_NAME unquoted, Linux when missing', () => {
  assert.equal(parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(parseOsRelease("PRETTY_NAME='Alpine Linux v3.19'\n"), 'Alpine Linux v3.19');
  assert.equal(parseOsRelease('PRETTY_NAME=Plain\n'), 'Plain');
  assert.equal(parseOsRelease('NAME=x\n'), 'Linux');
});

test('hugepage directories map to upstream resource names and byte counts', () => {
  assert.equal(hugepageSizeName('hugepages-2048kB'), '2Mi');
  assert.equal(hugepageSizeName('hugepages-1048576kB'), '1Gi');
  assert.equal(hugepageSizeName('hugepages-64kB'), '64Ki');
  assert.equal(hugepageSizeName('other'), undefined);
  assert.equal(hugepageBytes('hugepages-2048kB', '3\n'), 3 * 2 * 2 ** 20);
  assert.equal(hugepageBytes('hugepages-2048kB', '0\n'), 0);
});

test('parseLoadavgThreads and maxPID give pid.available inputs', () => {
  assert.equal(parseLoadavgThreads('1.06 0.37 0.18 1/169 7085\n'), 169);
  assert.throws(() => parseLoadavgThreads('garbage'), /malformed/);
  assert.equal(maxPID('32768\n'), 32768);
  assert.equal(maxPID('4194304\n', '192000\n'), 192000);
});

test('goArch uses Go names; pickNodeIP prefers the flag, then the first external IPv4', () => {
  assert.equal(goArch('x64'), 'amd64');
  assert.equal(goArch('arm64'), 'arm64');
  const ifs = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [{ address: 'fe80::1', family: 'IPv6', internal: false }, { address: '10.0.0.7', family: 'IPv4', internal: false }],
  };
  assert.equal(pickNodeIP(ifs), '10.0.0.7');
  assert.equal(pickNodeIP(ifs, '192.168.1.2'), '192.168.1.2');
  assert.equal(pickNodeIP({ lo: ifs.lo }), undefined);
});
