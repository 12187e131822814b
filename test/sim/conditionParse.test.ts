import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatCondition, parseCondition } from "../../src/sim/conditionParse.js";
import { BoundsError, UsageError } from "../../src/core/errors.js";
import { DEFAULT_SPACE, paperCondition } from "../../src/twin/space.js";

describe("condition strings", () => {
  it("format then parse is the identity over the search space (property)", () => {
    const cond = fc.tuple(...DEFAULT_SPACE.inputs.map((s) => fc.double({ min: s.bounds[0], max: s.bounds[1], noNaN: true }))).map(paperCondition);
    fc.assert(
      fc.property(cond, (c) => {
        expect(parseCondition(formatCondition(c))).toEqual(c);
      }),
    );
  });

  it("accepts spaces, any order, case-insensitive names and matching units", () => {
    expect(parseCondition(" ode=250, T=160degC ,CuI=100uL/min,ZnI2=100,CsOA=40")).toEqual({ T: 160, CuI: 100, ZnI2: 100, CsOA: 40, ODE: 250 });
  });

  it("errors name the field, its unit and the allowed range", () => {
    expect(() => parseCondition("T=190,CuI=100,ZnI2=100,CsOA=40,ODE=250")).toThrow(BoundsError);
    expect(() => parseCondition("T=190,CuI=100,ZnI2=100,CsOA=40,ODE=250")).toThrow(/T = 190 degC is outside the allowed range 120 to 180 degC/);
    expect(() => parseCondition("T=160,CuI=100,ZnI2=100,CsOA=40")).toThrow(/lacks ODE \(uL\/min, 220 to 280\)/);
    expect(() => parseCondition("T=160,CuI=abc,ZnI2=100,CsOA=40,ODE=250")).toThrow(/CuI = "abc" is not a number/);
    expect(() => parseCondition("T=160,CuI=100,ZnI2=100,CsOA=40,ODE=250,PbI2=3")).toThrow(/unknown input "PbI2"/);
    expect(() => parseCondition("T=160,T=170,CuI=100,ZnI2=100,CsOA=40,ODE=250")).toThrow(/given twice/);
    expect(() => parseCondition("T=160K,CuI=100,ZnI2=100,CsOA=40,ODE=250")).toThrow(/T is given in "K" but its unit is degC/);
    expect(() => parseCondition("T160")).toThrow(UsageError);
  });
});
