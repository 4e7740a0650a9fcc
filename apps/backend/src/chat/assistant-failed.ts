/** The language model (or its endpoint) failed during a chat turn: answered as 502. */
export class AssistantFailed extends Error {
  override name = "AssistantFailed";
}
