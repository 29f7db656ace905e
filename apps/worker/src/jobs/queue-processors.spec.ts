import { PROCESSOR_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import { JOB_QUEUE, QueueName } from '@heimdex/queue';
import { QUEUE_PROCESSORS } from './queue-processors';

describe('queue processors', () => {
  const processed = QUEUE_PROCESSORS.map((p) => (Reflect.getMetadata(PROCESSOR_METADATA, p) as { name: string }).name);

  it('every queue has exactly one processor', () => {
    expect([...processed].sort()).toEqual(Object.values(QueueName).sort());
  });

  it('every job is routed to a queue that has a processor', () => {
    for (const queue of Object.values(JOB_QUEUE)) expect(processed).toContain(queue);
  });
});
