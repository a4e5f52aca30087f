'use strict';
/**
 * Custom-resource handlers (CDK provider framework) that run a service's migrations as a
 * one-off Fargate task and succeed only when that task exits 0.
 *
 * CloudFormation creates/updates this resource before it touches the ECS service that depends
 * on it: the new image takes no traffic until its migrations have finished, and a failed
 * migration fails the deployment (the stack rolls back, the old tasks keep serving).
 *
 * Resource properties: ClusterArn, TaskDefinitionArn, ContainerName, Subnets, SecurityGroups,
 * ServiceName, LogGroupName (ImageTag only forces a run when the image changes).
 */

/** @param {{ send(command: unknown): Promise<any> }} ecs  an ECS client (real or fake) */
function createHandlers(ecs, commands) {
  async function onEvent(event) {
    const props = event.ResourceProperties;
    const physicalResourceId = `${props.ServiceName}-migrations`;
    if (event.RequestType === 'Delete') {
      return { PhysicalResourceId: event.PhysicalResourceId || physicalResourceId };
    }
    const result = await ecs.send(
      new commands.RunTaskCommand({
        cluster: props.ClusterArn,
        taskDefinition: props.TaskDefinitionArn,
        launchType: 'FARGATE',
        count: 1,
        startedBy: 'cfn-migrations',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: props.Subnets,
            securityGroups: props.SecurityGroups,
            assignPublicIp: 'DISABLED',
          },
        },
      }),
    );
    const task = result.tasks && result.tasks[0];
    if (!task || (result.failures && result.failures.length > 0)) {
      throw new Error(`could not start the ${props.ServiceName} migration task: ${JSON.stringify(result.failures || [])}`);
    }
    console.log(JSON.stringify({ msg: 'migration task started', service: props.ServiceName, taskArn: task.taskArn }));
    return { PhysicalResourceId: physicalResourceId, Data: { TaskArn: task.taskArn } };
  }

  async function isComplete(event) {
    if (event.RequestType === 'Delete') return { IsComplete: true };
    const props = event.ResourceProperties;
    const taskArn = event.Data && event.Data.TaskArn;
    if (!taskArn) throw new Error('no migration task was started (missing Data.TaskArn)');
    const result = await ecs.send(new commands.DescribeTasksCommand({ cluster: props.ClusterArn, tasks: [taskArn] }));
    const task = result.tasks && result.tasks[0];
    if (!task) throw new Error(`migration task ${taskArn} not found: ${JSON.stringify(result.failures || [])}`);
    if (task.lastStatus !== 'STOPPED') return { IsComplete: false };

    const container = (task.containers || []).find((c) => c.name === props.ContainerName);
    const exitCode = container ? container.exitCode : undefined;
    if (exitCode === 0) {
      console.log(JSON.stringify({ msg: 'migrations finished', service: props.ServiceName, taskArn }));
      return { IsComplete: true, Data: { ExitCode: '0' } };
    }
    const taskId = taskArn.split('/').pop();
    throw new Error(
      `${props.ServiceName} migrations failed (exit code ${exitCode === undefined ? 'none' : exitCode}` +
        `${task.stoppedReason ? `, ${task.stoppedReason}` : ''}${container && container.reason ? `, ${container.reason}` : ''}); ` +
        `logs: ${props.LogGroupName} stream migrations/${props.ContainerName}/${taskId}`,
    );
  }

  return { onEvent, isComplete };
}

let defaults;
function defaultHandlers() {
  if (!defaults) {
    // Loaded lazily: the Lambda runtime ships the AWS SDK v3; the unit tests inject a fake.
    const commands = require('@aws-sdk/client-ecs');
    defaults = createHandlers(new commands.ECSClient({}), commands);
  }
  return defaults;
}

module.exports = {
  createHandlers,
  onEvent: (event) => defaultHandlers().onEvent(event),
  isComplete: (event) => defaultHandlers().isComplete(event),
};
