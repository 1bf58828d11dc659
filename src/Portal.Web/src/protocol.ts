// Which SignalR hub protocol the page speaks. JSON unless the page was opened with `?protocol=msgpack`;
// the tab remembers the choice until `?protocol=json` (or closing the tab). Both carry the same
// fields: the portal writes MessagePack in the JSON protocol's shape (docs/DECISIONS.md).
import type { IHubProtocol } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { stored } from "./session";

export type ProtocolName = "json" | "msgpack";

/** The protocol for this tab, taking a `?protocol=` in the page URL into account. */
export function chosenProtocol(search: string = location.search): ProtocolName {
  const asked = new URLSearchParams(search).get("protocol");
  if (asked === "json" || asked === "msgpack") stored.protocol = asked;
  return stored.protocol === "msgpack" ? "msgpack" : "json";
}

/** The SignalR protocol object; undefined means the builder's default, JSON. */
export function hubProtocol(name: ProtocolName): IHubProtocol | undefined {
  // Undefined members are left out, as JSON.stringify does, rather than sent as nil.
  return name === "msgpack" ? new MessagePackHubProtocol({ ignoreUndefined: true }) : undefined;
}
