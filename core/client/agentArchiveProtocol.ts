/**
 * A container's files between the host and a machine's agent, beside the engine socket's protocol
 * and like the agent's blobs (core/client/agentProtocol.ts): plain HTTP on the agent's port with
 * its token, the bytes streamed as the body, never held whole in a JSON frame. docker's
 * `/containers/ID/archive` is the model. Each takes the container (`id`: a name or ID) and a
 * `path` in the query; an error is `{code, message}` with a status other than 200.
 *
 * - GET AGENT_ARCHIVE_PATH?id&path[&follow=1]: the tar of `path` (cp out, export), with what was
 *   at `path` in AGENT_PATH_KIND_HEADER and its base name, percent-encoded, in
 *   AGENT_PATH_NAME_HEADER. A copy cut short by the guest ends the connection before the tar does.
 * - PUT AGENT_ARCHIVE_PATH?id&path[&keepOwners=1][&renameFrom&renameTo]: the body, a tar (chunked),
 *   unpacked into the directory `path` (cp in); answered `{}` once it is all in.
 * - GET AGENT_ARCHIVE_STAT_PATH?id&path[&follow=1]: `{kind}`, null when nothing is there.
 * - POST AGENT_COMMIT_LAYER_PATH?id: the container's changes made into a layer in the guest's
 *   store, answered `{layer: {descriptor, diffId}, imageId}`; the host fetches it by digest from
 *   the agent's blobs, checked against both (commit).
 */
export const AGENT_ARCHIVE_PATH = '/containers/archive';
export const AGENT_ARCHIVE_STAT_PATH = '/containers/archive/stat';
export const AGENT_COMMIT_LAYER_PATH = '/containers/layer';
export const AGENT_PATH_KIND_HEADER = 'x-stevedore-path-kind';
export const AGENT_PATH_NAME_HEADER = 'x-stevedore-path-name';

/** The answer to AGENT_COMMIT_LAYER_PATH. */
export interface AgentCommitLayer {
  layer: { descriptor: { mediaType: string; digest: string; size: number }; diffId: string };
  /** The container's image (its config digest), which the host's store has: the commit's base. */
  imageId: string;
}
