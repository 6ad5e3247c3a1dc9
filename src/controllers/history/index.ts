// ControllerRevision history shared by the DaemonSet and StatefulSet controllers.
export {
  CONTROLLER_REVISION_HASH_LABEL, POD_REVISION_LABEL, revisionData, templateOfRevision, hashRevisionData, controllerRevisionName,
  equalRevision, sortRevisions, nextRevision, newControllerRevision, revisionHash, revisionsToPrune, type RevisionOwner,
} from './revision.js';
export { ensureUpdateRevision, type EnsuredRevision } from './controller-history.js';
