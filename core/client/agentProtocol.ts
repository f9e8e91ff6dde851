/**
 * What a machine's agent serves beside the engine socket's protocol (core/server/agentServer.ts):
 * the path an image archive is PUT to, with the agent's token as `Authorization: Bearer`, to be
 * loaded into the guest's store (core/vm/imageTransfer.ts sends it).
 */
export const AGENT_LOAD_PATH = '/images/load';
