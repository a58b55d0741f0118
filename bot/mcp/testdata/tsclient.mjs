// An independent MCP client: the official TypeScript SDK lists duban's
// tools over Streamable HTTP and calls two of them. Usage:
//   node tsclient.mjs URL TOKEN
// It prints one JSON object; the Go test checks it. The SDK validates
// structured content against each tool's output schema on its own.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "duban-ts-test", version: "1.0.0" });
await client.connect(transport);
const tools = await client.listTools();
const task = await client.callTool({ name: "task", arguments: { number: 76 } });
const unit = await client.callTool({ name: "tasks_of_unit", arguments: { unit: "交通运输局", role: "lead" } });
console.log(JSON.stringify({
  server: client.getServerVersion(),
  tools: tools.tools.map((t) => t.name).sort(),
  task: task.structuredContent,
  unit: unit.structuredContent,
  errors: [task.isError ?? false, unit.isError ?? false],
}));
await client.close();
