interface Command {
  readonly kind: string;
  readonly input: Record<string, any>;
}
interface Handlers {
  onEvent(event: Record<string, any>): Promise<Record<string, any>>;
  isComplete(event: Record<string, any>): Promise<Record<string, any>>;
}
const runner = require('./migration-runner/index.js') as { createHandlers(ecs: unknown, commands: unknown): Handlers };

/** Stand-ins for @aws-sdk/client-ecs: each command records its name and input. */
const commands = {
  RunTaskCommand: class {
    readonly kind = 'RunTask';
    constructor(readonly input: Record<string, any>) {}
  },
  DescribeTasksCommand: class {
    readonly kind = 'DescribeTasks';
    constructor(readonly input: Record<string, any>) {}
  },
};

function fakeEcs(answers: Record<string, (input: Record<string, any>) => any>) {
  const sent: Command[] = [];
  return {
    sent,
    client: {
      send: async (command: Command) => {
        sent.push(command);
        return answers[command.kind](command.input);
      },
    },
  };
}

const properties = {
  ServiceName: 'core-api',
  ClusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/chairbook-staging',
  TaskDefinitionArn: 'arn:aws:ecs:eu-west-1:111111111111:task-definition/chairbook-staging-core-api-migrate:7',
  ContainerName: 'core-api',
  LogGroupName: '/chairbook/staging/core-api',
  Subnets: ['subnet-a', 'subnet-b'],
  SecurityGroups: ['sg-1'],
  ImageTag: 'abc123',
};
const taskArn = 'arn:aws:ecs:eu-west-1:111111111111:task/chairbook-staging/0f1e2d3c';

describe('migration runner', () => {
  beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('starts the migration task on Fargate in the private subnets', async () => {
    const ecs = fakeEcs({ RunTask: () => ({ tasks: [{ taskArn }], failures: [] }) });
    const handlers = runner.createHandlers(ecs.client, commands);
    const result = await handlers.onEvent({ RequestType: 'Update', ResourceProperties: properties });
    expect(result).toEqual({ PhysicalResourceId: 'core-api-migrations', Data: { TaskArn: taskArn } });
    expect(ecs.sent[0].input).toMatchObject({
      cluster: properties.ClusterArn,
      taskDefinition: properties.TaskDefinitionArn,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
    });
  });

  it('fails the deployment when the task cannot start', async () => {
    const ecs = fakeEcs({ RunTask: () => ({ tasks: [], failures: [{ reason: 'RESOURCE:ENI' }] }) });
    const handlers = runner.createHandlers(ecs.client, commands);
    await expect(handlers.onEvent({ RequestType: 'Create', ResourceProperties: properties })).rejects.toThrow(/RESOURCE:ENI/);
  });

  it('waits while the task runs and succeeds only on exit code 0', async () => {
    let status = 'RUNNING';
    const ecs = fakeEcs({
      DescribeTasks: () => ({ tasks: [{ lastStatus: status, containers: [{ name: 'core-api', exitCode: status === 'STOPPED' ? 0 : undefined }] }] }),
    });
    const handlers = runner.createHandlers(ecs.client, commands);
    const event = { RequestType: 'Update', ResourceProperties: properties, Data: { TaskArn: taskArn } };
    expect(await handlers.isComplete(event)).toEqual({ IsComplete: false });
    status = 'STOPPED';
    expect(await handlers.isComplete(event)).toEqual({ IsComplete: true, Data: { ExitCode: '0' } });
    expect(ecs.sent[0].input).toEqual({ cluster: properties.ClusterArn, tasks: [taskArn] });
  });

  it('fails with the exit code and where the logs are when migrations fail', async () => {
    const ecs = fakeEcs({
      DescribeTasks: () => ({
        tasks: [{ lastStatus: 'STOPPED', stoppedReason: 'Essential container in task exited', containers: [{ name: 'core-api', exitCode: 1 }] }],
      }),
    });
    const handlers = runner.createHandlers(ecs.client, commands);
    await expect(
      handlers.isComplete({ RequestType: 'Create', ResourceProperties: properties, Data: { TaskArn: taskArn } }),
    ).rejects.toThrow('core-api migrations failed (exit code 1, Essential container in task exited); logs: /chairbook/staging/core-api stream migrations/core-api/0f1e2d3c');
  });

  it('does nothing when the stack deletes the resource', async () => {
    const ecs = fakeEcs({});
    const handlers = runner.createHandlers(ecs.client, commands);
    const deleted = { RequestType: 'Delete', PhysicalResourceId: 'core-api-migrations', ResourceProperties: properties };
    expect(await handlers.onEvent(deleted)).toEqual({ PhysicalResourceId: 'core-api-migrations' });
    expect(await handlers.isComplete(deleted)).toEqual({ IsComplete: true });
    expect(ecs.sent).toEqual([]);
  });
});
