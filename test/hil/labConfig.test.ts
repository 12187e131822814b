import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultLabConfig, loadLabConfig, reactorMapOf, validateLabConfig } from "../../src/hil/labConfig.js";
import { setPoints } from "../../src/hil/reactorMap.js";

const F = "lab.json";
const withField = (edit: (c: Record<string, unknown>) => void) => {
  const c = JSON.parse(JSON.stringify(defaultLabConfig()));
  edit(c);
  return () => validateLabConfig(c, F);
};

describe("lab configuration", () => {
  it("the template validates as it is, and missing fields take their defaults", () => {
    expect(validateLabConfig(defaultLabConfig(), F)).toEqual(defaultLabConfig());
    expect(validateLabConfig({ name: "r2", heater: { host: "10.0.0.7" } }, F)).toMatchObject({
      name: "r2",
      heater: { host: "10.0.0.7", port: 502 },
      timeScale: 1,
    });
  });

  it("a wrong value names the file, the field, the value and what is allowed", () => {
    expect(withField((c) => ((c.pumps as Record<string, Record<string, unknown>>).CuI.baudRate = 9601))).toThrow(
      'lab.json: field "pumps.CuI.baudRate" = 9601 is not valid; allowed: 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
    );
    expect(withField((c) => ((c.pumps as Record<string, Record<string, unknown>>).ODE.terminator = "\n"))).toThrow(
      /"pumps.ODE.terminator" = "\\n" is not valid; allowed: "\\r", "\\r\\n"/,
    );
    expect(withField((c) => ((c.heater as Record<string, unknown>).safeSetPoint_degC = 300))).toThrow(
      /"heater.safeSetPoint_degC" = 300 .* allowed: a number from 20 to 185/,
    );
    expect(withField((c) => ((c.heater as Record<string, unknown>).setPoint_degC = [200, 100]))).toThrow(/allowed: \[min, max\] with min < max/);
    expect(withField((c) => (c.timeScale = 0))).toThrow(ConfigError);
  });

  it("a typo is an unknown field, never a silent default; pumps must match the stream map", () => {
    expect(withField((c) => ((c.heater as Record<string, unknown>).hots = "x"))).toThrow(/field "heater.hots" .* \(unknown field\)/);
    expect(withField((c) => delete (c.pumps as Record<string, unknown>).PFO)).toThrow(/field "pumps.PFO" .* a pump entry \(map.streams names pump "PFO"\)/);
    expect(withField((c) => ((c.pumps as Record<string, unknown>).Extra = {}))).toThrow(/"pumps.Extra" .* only pumps named in map.streams/);
  });

  it("a reactor with other streams is configuration: a new input pump and a derived carrier as a factor of inputs", () => {
    const c = validateLabConfig(
      {
        map: {
          temperature: "T",
          streams: [
            { pump: "A", input: "qA" },
            { pump: "B", input: "qB" },
            { pump: "oil", sumOf: ["qA", "qB"], factor: 2 },
          ],
        },
        pumps: { A: {}, B: {}, oil: {} },
      },
      F,
    );
    expect(setPoints(reactorMapOf(c), { T: 100, qA: 10, qB: 30 })).toEqual({ setPoint_degC: 100, rates: { A: 10, B: 30, oil: 80 } });
    expect(setPoints(reactorMapOf(defaultLabConfig()), { T: 150, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 }, { PFO: 250 }).rates.PFO).toBe(250);
  });

  it("JSON syntax errors name line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-cfg-"));
    const file = join(dir, "lab.json");
    writeFileSync(file, '{\n  "name": "x",\n  "timeScale": 1,\n}\n');
    expect(() => loadLabConfig(file)).toThrow(new RegExp(`${file}:4:1: not valid JSON`));
  });
});
