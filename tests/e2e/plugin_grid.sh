#!/usr/bin/env bash
# A grid over plugins that take settings of their own: each value of `grid.loss` is a whole
# [loss] table, so each loss gets only its keys; a `loss.name` axis over a table holding
# another plugin's keys fails before any cell runs and says how to write it instead.
source "$(dirname "$0")/lib/common.bash"

cat > losses.toml <<'TOML'
base = "tiny.toml"
[experiment]
name = "losses"
[train]
steps = 5
[grid]
loss = [{ name = "vanilla_kd" },
        { name = "steper", init = 0.5 },
        { name = "fixed_weight", weights = [1.5, 1.0, 0.5] }]
TOML
"$STEPER" run losses.toml > losses.log 2>&1 || { cat losses.log; fail "the grid over whole loss tables failed"; }
"$STEPER" status losses.toml | grep -q "^3 cells: 3 done" || fail "three cells, one per loss, should be done"
/usr/bin/python3 - <<'PY'
import glob, h5py
tables = {}
for path in glob.glob("results/losses/*.h5"):
    with h5py.File(path, "r") as f:
        assert f.attrs["status"] == "complete", f.attrs["error"]
        resolved = f["config/resolved_toml"][()].decode()
        loss = resolved.split("[loss]\n", 1)[1].split("\n\n", 1)[0]
        tables[loss.split('name = "', 1)[1].split('"', 1)[0]] = loss
assert "init = 0.5" in tables["steper"], tables["steper"]
assert "weights = [1.5, 1.0, 0.5]" in tables["fixed_weight"], tables["fixed_weight"]
# Each loss fills in its own row label for the report; nothing else of another loss leaks in.
assert tables["vanilla_kd"].strip() == 'label = "vanilla-KD"\nname = "vanilla_kd"', tables["vanilla_kd"]
assert 'label = "StepER"' in tables["steper"], tables["steper"]
assert 'label = "fixed λ = (1.5, 1, 0.5)"' in tables["fixed_weight"], tables["fixed_weight"]
print("loss tables:", tables)
PY
"$STEPER" report results/losses --rows method --metrics em > methods.md
for label in "vanilla-KD" "StepER" "fixed λ = (1.5, 1, 0.5)"; do
  grep -qF "| $label " methods.md || { cat methods.md; fail "report has no row '$label'"; }
done

expect_failure "a name axis over another plugin's keys" "give each plugin its own table instead, e.g. grid.loss" \
  "$STEPER" run tiny.toml --set 'grid.loss.name=["kind_weighted", "vanilla_kd"]'
echo "plugin_grid: ok"
