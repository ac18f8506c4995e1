"""Runs the server from an unpacked MCP Bundle the way a bundle host does, with the official
Python MCP SDK (PyPI `mcp`): the command, arguments and environment come from the bundle's
manifest.json, `${__dirname}` is the bundle folder, and an optional user setting left blank stays
as its literal `${user_config.NAME}` (what the reference mcpb implementation does).

Checks initialize, that tools/list and prompts/list match the manifest, and a search; with
--skills-root DIR, also that the skills in DIR are served.

Usage: python bundle_client.py UNPACKED_BUNDLE_DIR [--skills-root DIR]
"""

import asyncio
import json
import os
import sys

from mcp import Client, StdioServerParameters

failures: list[str] = []


def check(condition: bool, what: str) -> None:
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def substitute(value: str, variables: dict[str, str]) -> str:
    for key, replacement in variables.items():
        value = value.replace("${" + key + "}", replacement)
    return value


async def run(bundle: str, skills_root: str | None) -> None:
    manifest = json.load(open(os.path.join(bundle, "manifest.json")))
    config = manifest["server"]["mcp_config"]
    variables = {"__dirname": bundle}
    if skills_root is not None:
        variables["user_config.skills_root"] = skills_root
    command = substitute(config["command"], variables)
    args = [substitute(a, variables) for a in config.get("args", [])]
    env = dict(os.environ)
    env.pop("STREAMING_SKILL_DIR", None)
    env.update({k: substitute(v, variables) for k, v in config.get("env", {}).items()})
    label = f"[skills root {skills_root or 'left blank'}]"

    async with Client(StdioServerParameters(command=command, args=args, env=env), mode="legacy") as client:
        check(client.server_info is not None and client.server_info.name == "streaming-skill", f"{label} initialize: server streaming-skill")
        check(client.server_info.version == manifest["version"], f"{label} server version {client.server_info.version} is the manifest's")
        tools = (await client.list_tools()).tools
        listed = [{"name": t.name, "description": t.description or ""} for t in tools]
        check(listed == manifest["tools"], f"{label} tools/list matches the manifest's {len(manifest['tools'])} tools")
        prompts = [p.name for p in (await client.list_prompts()).prompts]
        check(prompts == [p["name"] for p in manifest["prompts"]], f"{label} prompts/list matches the manifest")
        search = await client.call_tool("search_references", {"query": "consumer lag", "limit": 3})
        hits = (search.structured_content or {}).get("hits", [])
        check(not search.is_error and len(hits) > 0, f"{label} search_references found {len(hits)} sections")
        uris = [r.uri for r in (await client.list_resources()).resources]
        served_dbt = any(u.startswith("skill://dbt-skill/") for u in uris)
        check(served_dbt == (skills_root is not None), f"{label} the skills root's dbt-skill served: {served_dbt}")


def main() -> None:
    bundle = os.path.abspath(sys.argv[1])
    skills_root = None
    if len(sys.argv) > 3 and sys.argv[2] == "--skills-root":
        skills_root = os.path.abspath(sys.argv[3])
    asyncio.run(run(bundle, skills_root))
    if failures:
        print(f"bundle client: {len(failures)} check(s) failed")
        sys.exit(1)


main()
