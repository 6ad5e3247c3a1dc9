// Image pull policy defaults and pulls against the fake image service, with upstream's reasons,
// messages and events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../client/index.js';
import type { Pod } from '../../api/index.js';
import { FakeImageService, ImagePullError } from '../../runtime/index.js';
import { Backoff } from './backoff.js';
import { defaultPullPolicy, ImagePuller } from './image-puller.js';

test('defaultPullPolicy: Always for :latest or no tag, IfNotPresent for a tag or digest', () => {
  assert.equal(defaultPullPolicy('busybox'), 'Always');
  assert.equal(defaultPullPolicy('busybox:latest'), 'Always');
  assert.equal(defaultPullPolicy('registry:5000/busybox'), 'Always');
  assert.equal(defaultPullPolicy('registry:5000/busybox:1.36'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('busybox@sha256:abc'), 'IfNotPresent');
});

test('ensureImage: present images are not pulled (IfNotPresent), Always pulls, failures back off', async () => {
  const clock = new ManualClock(0);
  const images = new FakeImageService();
  images.addImage('app:1');
  const puller = new ImagePuller(images, new Backoff(clock), clock);
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' } };
  const events: string[] = [];
  const sink = (_t: string, reason: string, message: string) => { events.push(`${reason}: ${message}`); };
  const auth = async () => [{ username: 'u', password: 'p' }];
  assert.equal((await puller.ensureImage(pod, { name: 'c', image: 'app:1' }, auth, sink)).ok, true);
  assert.deepEqual(images.pulls, []);
  assert.deepEqual(events, ['Pulled: Container image "app:1" already present on machine']);
  assert.equal((await puller.ensureImage(pod, { name: 'c', image: 'app:1', imagePullPolicy: 'Always' }, auth, sink)).ok, true);
  assert.equal(events.at(-1), 'Pulled: Successfully pulled image "app:1" in 0ms (0ms including waiting). Image size: 1024 bytes.');
  assert.deepEqual(images.pulls, [{ image: 'app:1', auth: [{ username: 'u', password: 'p' }] }]);

  images.failures.set('gone:1', new ImagePullError('manifest unknown', 'NotFound'));
  events.length = 0;
  const first = await puller.ensureImage(pod, { name: 'c', image: 'gone:1' }, auth, sink);
  assert.deepEqual(first, { ok: false, reason: 'ErrImagePull', message: 'Failed to pull image "gone:1": manifest unknown', retryInMs: 10_000 });
  assert.deepEqual(events, ['Pulling: Pulling image "gone:1"', 'Failed: Failed to pull image "gone:1": manifest unknown', 'Failed: Error: ErrImagePull']);
  const second = await puller.ensureImage(pod, { name: 'c', image: 'gone:1' }, auth, sink);
  assert.deepEqual(second, { ok: false, reason: 'ImagePullBackOff', message: 'Back-off pulling image "gone:1"', retryInMs: 10_000 });
  clock.advance(10_000);
  images.failures.delete('gone:1');
  assert.equal((await puller.ensureImage(pod, { name: 'c', image: 'gone:1' }, auth, sink)).ok, true);

  const never = await puller.ensureImage(pod, { name: 'c', image: 'local:1', imagePullPolicy: 'Never' }, auth, sink);
  assert.deepEqual(never, { ok: false, reason: 'ErrImageNeverPull', message: 'Container image "local:1" is not present with pull policy of Never' });
});
