import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProfiles, frameworkForPod, parseSchedulerConfiguration } from './profiles.js';
import { newInTreeRegistry } from '../plugins/registry.js';
import { makePod } from '../testdata/scenario.js';

const doc = `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
  - schedulerName: default-scheduler
  - schedulerName: bin-packing
    percentageOfNodesToScore: 60
    plugins:
      score:
        disabled: [{ name: NodeResourcesBalancedAllocation }]
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
`;

test('parses a KubeSchedulerConfiguration and builds one framework per profile', () => {
  const cfg = parseSchedulerConfiguration(doc);
  assert.equal(cfg.podMaxBackoffSeconds, 10);
  const profiles = buildProfiles(newInTreeRegistry(), cfg, { clock: () => 0 });
  assert.deepEqual([...profiles.keys()], ['default-scheduler', 'bin-packing']);
  assert.equal(profiles.get('default-scheduler')!.percentageOfNodesToScore, 30);
  assert.equal(profiles.get('bin-packing')!.percentageOfNodesToScore, 60);
  assert.ok(!profiles.get('bin-packing')!.listPlugins().score!.some((s) => s.startsWith('NodeResourcesBalancedAllocation')));
  assert.equal(frameworkForPod(profiles, makePod({ name: 'p' }))!.profileName, 'default-scheduler');
  assert.equal(frameworkForPod(profiles, makePod({ name: 'p', spec: { schedulerName: 'bin-packing' } }))!.profileName, 'bin-packing');
  assert.equal(frameworkForPod(profiles, makePod({ name: 'p', spec: { schedulerName: 'other' } })), undefined);
});

test('rejects wrong kinds and invalid values as upstream', () => {
  assert.throws(() => parseSchedulerConfiguration('apiVersion: v1\nkind: Pod\n'), /no kind "Pod" is registered for version "v1"/);
  assert.throws(() => parseSchedulerConfiguration(`apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 120\n`),
    /percentageOfNodesToScore: Invalid value: 120: not in valid range \[0-100\]/);
  assert.throws(() => parseSchedulerConfiguration(`apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles: [{schedulerName: a}, {schedulerName: a}]\n`),
    /profiles\[1\].schedulerName: Duplicate value: "a"/);
  assert.throws(() => parseSchedulerConfiguration(': : :'), /couldn't decode/);
});
