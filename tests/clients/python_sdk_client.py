"""Drives the streaming-skill binary over stdio with the official Python MCP SDK (PyPI `mcp`).

An independent client: it checks that what our Rust tests see is also what a client we did not
write sees, in the handshake era (`initialize`) and in the 2026-07-28 era (no handshake).

Usage: python python_sdk_client.py PATH/TO/streaming-skill
"""

import asyncio
import sys

from mcp import Client, StdioServerParameters
from mcp.types import PromptReference, ResourceTemplateReference

failures: list[str] = []
passes = 0


def check(condition: bool, what: str) -> None:
    global passes
    if condition:
        passes += 1
    else:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)


async def exercise(binary: str, mode: str) -> None:
    params = StdioServerParameters(command=binary, args=[])
    async with Client(params, mode=mode) as client:
        label = f"[{mode}]"
        check(client.protocol_version in ("2025-11-25", "2025-06-18", "2026-07-28"), f"{label} protocol version {client.protocol_version}")
        if mode == "legacy":
            check(client.server_info is not None and client.server_info.name == "streaming-skill", f"{label} server name")
            check("search_references" in (client.instructions or ""), f"{label} instructions name the tools")
        else:
            check(client.protocol_version == "2026-07-28", f"{label} negotiated the 2026-07-28 era")

        tools = (await client.list_tools()).tools
        names = [t.name for t in tools]
        check(names[:5] == ["search_references", "read_reference", "list_references", "get_decision_table", "route_request"] and "recommend_architecture" in names, f"{label} tools {names}")
        for tool in tools:
            check(tool.annotations is not None and tool.annotations.read_only_hint is True, f"{label} {tool.name} read-only")
            check(tool.output_schema is not None, f"{label} {tool.name} output schema")

        search = await client.call_tool("search_references", {"query": "watermark late events", "limit": 3})
        hits = (search.structured_content or {}).get("hits", [])
        check(not search.is_error and 0 < len(hits) <= 3, f"{label} search hits {len(hits)}")
        if hits:
            section = await client.call_tool("read_reference", {"document": hits[0]["uri"]})
            check(not section.is_error and section.structured_content["content"].startswith("#"), f"{label} read the hit")
            resource = await client.read_resource(hits[0]["uri"])
            check(resource.contents[0].text == section.structured_content["content"], f"{label} resources/read matches read_reference")

        listing = await client.call_tool("list_references", {})
        documents = [d["name"] for d in listing.structured_content["documents"]]
        check("kafka-deep-dive" in documents and documents[0] == "SKILL.md", f"{label} list_references {documents}")

        table = await client.call_tool("get_decision_table", {"table": "architecture-decision-matrix", "filter": {"Complexity": "low"}})
        rows = [r["Architecture"] for r in table.structured_content["rows"]]
        check(rows == ["Traditional Batch", "Warehouse-Native Streaming"], f"{label} filtered table {rows}")

        routed = await client.call_tool("route_request", {"request": "schedule the nightly Kafka connector restart in Airflow"})
        check(routed.structured_content["skill"] == "data-orchestration-skill", f"{label} route_request {routed.structured_content}")

        bad = await client.call_tool("search_references", {"query": "lag", "limit": 500})
        check(bad.is_error and "limit must be between 1 and 20" in bad.content[0].text, f"{label} bad argument is a tool error")

        resources = (await client.list_resources()).resources
        check(any(r.uri == "skill://streaming-data-skill/SKILL.md" for r in resources), f"{label} SKILL.md resource")
        skill_md = await client.read_resource("skill://streaming-data-skill/SKILL.md")
        check(skill_md.contents[0].text.startswith("---\nname: streaming-data-skill"), f"{label} read SKILL.md")
        templates = (await client.list_resource_templates()).resource_templates
        check(len(templates) == 2, f"{label} two templates")

        prompts = (await client.list_prompts()).prompts
        check(sorted(p.name for p in prompts) == ["design-streaming-pipeline", "plan-schema-evolution", "troubleshoot-streaming-pipeline"], f"{label} prompts")
        prompt = await client.get_prompt("troubleshoot-streaming-pipeline", {"symptom": "checkpoints time out", "framework": "Apache Flink"})
        check("Checkpoint Duration" in prompt.messages[0].content.text, f"{label} prompt embeds the monitoring table")

        completion = await client.complete(
            ResourceTemplateReference(uri="skill://streaming-data-skill/tables/{table}"), {"name": "table", "value": "arch"}
        )
        check(completion.completion.values == ["architecture-decision-matrix"], f"{label} completion {completion.completion.values}")
        completion = await client.complete(PromptReference(name="design-streaming-pipeline"), {"name": "delivery_guarantee", "value": "ex"})
        check(completion.completion.values == ["exactly-once"], f"{label} prompt completion {completion.completion.values}")


async def main() -> int:
    binary = sys.argv[1]
    for mode in ("legacy", "2026-07-28", "auto"):
        try:
            await exercise(binary, mode)
        except Exception as error:  # a crash in one mode is one failure, and the others still run
            failures.append(f"[{mode}] {type(error).__name__}: {error}")
            print(f"FAIL: [{mode}] {type(error).__name__}: {error}", flush=True)
    print(f"python-sdk: {passes} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
