import { describe, expect, it } from 'vitest';
import { parseTestOptions, splitWords, testOptionArgs } from '../../src/test-options.js';

describe('test-options', () => {
  it('takes the options a test needs, in both spellings, across lines', () => {
    const options = parseTestOptions('--gpus all --shm-size=256m\n-e CI=true --env HOME_DIR --tmpfs /scratch:size=64m\n--ulimit nofile=1024:2048 --network none -u 1000:1000 -w /app -m 1g --cpus 1.5 --device /dev/fuse --ipc host');
    expect(testOptionArgs(options, true).args).toEqual([
      '--gpus=all', '--shm-size=256m', '--env=CI=true', '--env=HOME_DIR', '--tmpfs=/scratch:size=64m', '--ulimit=nofile=1024:2048',
      '--network=none', '--user=1000:1000', '--workdir=/app', '--memory=1g', '--cpus=1.5', '--device=/dev/fuse', '--ipc=host',
    ]);
  });

  it('keeps quoted values whole, without expansion', () => {
    expect(splitWords(`--gpus '"device=0,1"' -e "GREETING=hello world" -e X=$HOME`)).toEqual(['--gpus', '"device=0,1"', '-e', 'GREETING=hello world', '-e', 'X=$HOME']);
    expect(testOptionArgs(parseTestOptions('-e "GREETING=hello world"'), true).args).toEqual(['--env=GREETING=hello world']);
  });

  it("gives code that is not a writer's nothing of the host: variables, network, IPC, devices", () => {
    const options = parseTestOptions('-e NPM_TOKEN -e MODE=test --network host --ipc host --device /dev/fuse --network none --ipc private --gpus all');
    expect(testOptionArgs(options, false)).toEqual({
      args: ['--env=MODE=test', '--network=none', '--ipc=private', '--gpus=all'],
      dropped: ['--env NPM_TOKEN', '--network host', '--ipc host', '--device /dev/fuse'],
    });
    expect(testOptionArgs(options, true).dropped).toEqual([]);
  });

  it.each([
    ['-v /:/host', "'-v' is not an option autobuild gives the test container"],
    ['--volume=/var/run/docker.sock:/s', "'--volume' is not an option"],
    ['--privileged', "'--privileged' is not an option"],
    ['--cap-add SYS_ADMIN', "'--cap-add' is not an option"],
    ['--entrypoint sh', "'--entrypoint' is not an option"],
    ['alpine', "'alpine' is not an option (a second image or a command goes in test-command)"],
    ['--network container:db', "invalid value 'container:db' for --network"],
    ['--ipc container:db', "invalid value 'container:db' for --ipc"],
    ['--device /etc/shadow', "invalid value '/etc/shadow' for --device"],
    ['--device /dev/sda', "invalid value '/dev/sda' for --device"],
    ['--device /dev/nvme0n1', "invalid value '/dev/nvme0n1' for --device"],
    ['--device /dev/.', "invalid value '/dev/.' for --device"],
    ['--device /dev/../etc/shadow', "invalid value '/dev/../etc/shadow' for --device"],
    ['--device /dev/disk/by-id/x', "invalid value '/dev/disk/by-id/x' for --device"],
    ['--device /dev/fuse:/dev/../x', "invalid value '/dev/fuse:/dev/../x' for --device"],
    ['--ulimit rtprio=99', "invalid value 'rtprio=99' for --ulimit"],
    ['--tmpfs relative', "invalid value 'relative' for --tmpfs"],
    ['--shm-size lots', "invalid value 'lots' for --shm-size"],
    ['-e 1BAD=x', "invalid value '1BAD=x' for -e"],
    ['--cpus 0', "invalid value '0' for --cpus"],
    ['--shm-size', '--shm-size needs a value'],
    ['--memory=', '--memory needs a value'],
    ['-e "open', 'unclosed " quote'],
  ])('refuses %s', (text, message) => {
    expect(() => parseTestOptions(text)).toThrow(message);
  });

  it('takes the devices tests use, with a path inside and a mode', () => {
    expect(testOptionArgs(parseTestOptions('--device /dev/fuse --device /dev/nvidia0 --device /dev/dri/renderD128:/dev/dri/renderD128:rw --device /dev/kvm:rwm'), true).args).toEqual([
      '--device=/dev/fuse', '--device=/dev/nvidia0', '--device=/dev/dri/renderD128:/dev/dri/renderD128:rw', '--device=/dev/kvm:rwm',
    ]);
  });

  it('is empty when not given', () => {
    expect(parseTestOptions('  \n ')).toEqual([]);
  });
});
