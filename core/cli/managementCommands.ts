/**
 * docker's management commands (`image ls`, `container rm`…) are its long names for the top-level
 * ones Stevedore has (`images`, `rm`…): the argument list is rewritten to those before parsing,
 * so each verb is defined once. Verbs of their own (`image prune`, `container prune`) stay as typed.
 */
const VERBS: Record<string, Record<string, string[]>> = {
  image: {
    ls: ['images'],
    list: ['images'],
    rm: ['rmi'],
    remove: ['rmi'],
    inspect: ['inspect', '--type', 'image'],
    pull: ['pull'],
    push: ['push'],
    tag: ['tag'],
    save: ['save'],
    load: ['load'],
    build: ['build'],
    history: ['history'],
    import: ['import'],
  },
  container: {
    ls: ['ps'],
    list: ['ps'],
    ps: ['ps'],
    rm: ['rm'],
    remove: ['rm'],
    inspect: ['inspect', '--type', 'container'],
    run: ['run'],
    create: ['create'],
    start: ['start'],
    stop: ['stop'],
    restart: ['restart'],
    kill: ['kill'],
    logs: ['logs'],
    exec: ['exec'],
    pause: ['pause'],
    unpause: ['unpause'],
    stats: ['stats'],
    wait: ['wait'],
    port: ['port'],
    commit: ['commit'],
    cp: ['cp'],
    diff: ['diff'],
    export: ['export'],
    rename: ['rename'],
    top: ['top'],
  },
  system: {
    info: ['info'],
    events: ['events'],
  },
};

/** Global options that take a value, to step over when looking for the command. */
const VALUED_GLOBALS = new Set(['--root', '--runtime']);

/** `argv` as process.argv gives it (node, script, …args), with a management command's verb rewritten. */
export function rewriteManagementCommand(argv: string[]): string[] {
  let i = 2;
  while (i < argv.length && argv[i]!.startsWith('-')) i += VALUED_GLOBALS.has(argv[i]!) ? 2 : 1;
  const group = VERBS[argv[i] ?? ''];
  const verb = group?.[argv[i + 1] ?? ''];
  if (!verb) return argv;
  return [...argv.slice(0, i), ...verb, ...argv.slice(i + 2)];
}
