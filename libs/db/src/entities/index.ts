import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditEvent } from './audit-event.entity';
import { Face } from './face.entity';
import { FaceCluster } from './face-cluster.entity';
import { FaceIndexState } from './face-index-state.entity';
import { OutboxMessage } from './outbox-message.entity';
import { Person } from './person.entity';
import { PipelineJob } from './pipeline-job.entity';
import { Scene } from './scene.entity';
import { Video } from './video.entity';

export { AuditCheckpoint, AuditEvent, Face, FaceCluster, FaceIndexState, OutboxMessage, Person, PipelineJob, Scene, Video };

export const ENTITIES = [Video, PipelineJob, Scene, Person, Face, FaceCluster, FaceIndexState, AuditEvent, AuditCheckpoint, OutboxMessage];
