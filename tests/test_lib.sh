# Helpers of the shell tests (sourced): fail, and expect_exit, which runs a command with its
# output in out.txt and err.txt and checks its exit code.
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() {  # expect_exit CODE command...
  local want=$1; shift
  set +e; "$@" >out.txt 2>err.txt; local got=$?; set -e
  [ "$got" = "$want" ] || { cat err.txt >&2; fail "'$*' exited $got, expected $want"; }
}
# begin_test NEARDUP_BINARY SOURCE_DIR: sets neardup, src and data (the shared corpora), and
# moves into a new work directory, removed (with any background job) when the test exits.
begin_test() {
  neardup=$(realpath "$1")
  src=$(realpath "$2")
  data="${NEARDUP_DATA:-$src/../shared/data}"
  work=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
  cd "$work"
}
