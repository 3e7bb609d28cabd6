// Runs in every runtime before the user's code. It captures the built-ins
// and returns a function that, called after the user's top-level code has
// run, freezes them so that nothing a handler does to them outlives the
// call. Built-in prototype properties that ordinary code commonly shadows
// by assignment (toString, constructor, an error's name and message, …) are
// turned into accessors first: assigning them on an object that inherits
// them still creates an own property, as it would without the freeze.
(function () {
  "use strict";
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const getPrototypeOf = Object.getPrototypeOf;

  const constructorNames = [
    "Object", "Function", "Array", "String", "Number", "Boolean", "Symbol", "BigInt",
    "Date", "RegExp", "Map", "Set", "WeakMap", "WeakSet", "Promise", "Proxy",
    "ArrayBuffer", "DataView", "Uint8Array", "Uint8ClampedArray", "Int8Array",
    "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array",
    "Float64Array", "BigInt64Array", "BigUint64Array",
    "Error", "AggregateError", "EvalError", "RangeError", "ReferenceError",
    "SyntaxError", "TypeError", "URIError",
  ];
  const namespaceNames = ["Math", "JSON", "Reflect", "console", "hb"];
  const errorNames = constructorNames.filter((name) => name.endsWith("Error"));

  const targets = [];
  for (const name of constructorNames) {
    const ctor = globalThis[name];
    if (typeof ctor === "function") {
      targets.push(ctor);
      if (ctor.prototype) targets.push(ctor.prototype);
    }
  }
  for (const name of namespaceNames) {
    if (globalThis[name]) targets.push(globalThis[name]);
  }
  // Intrinsics that have no global name.
  const typedArray = getPrototypeOf(Int8Array);
  const arrayIterator = getPrototypeOf([][Symbol.iterator]());
  const generatorFunction = getPrototypeOf(function* () {});
  targets.push(
    typedArray, typedArray.prototype,
    arrayIterator, getPrototypeOf(arrayIterator),
    getPrototypeOf(new Map()[Symbol.iterator]()),
    getPrototypeOf(new Set()[Symbol.iterator]()),
    getPrototypeOf(""[Symbol.iterator]()),
    generatorFunction, generatorFunction.prototype,
    getPrototypeOf(async function () {}),
  );

  const shadowable = [
    [Object.prototype, ["constructor", "toString", "toLocaleString", "valueOf",
      "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]],
    [Function.prototype, ["constructor", "toString"]],
    [Array.prototype, ["constructor", "toString"]],
  ];
  for (const name of errorNames) {
    const proto = globalThis[name] && globalThis[name].prototype;
    if (proto) shadowable.push([proto, ["constructor", "name", "message", "toString"]]);
  }

  function makeShadowable(proto, name) {
    const desc = getOwnPropertyDescriptor(proto, name);
    if (!desc || !("value" in desc) || !desc.configurable) return;
    const value = desc.value;
    defineProperty(proto, name, {
      get() { return value; },
      set(v) {
        if (this === proto) {
          throw new TypeError("Cannot assign to read only property '" + name + "' of a built-in prototype");
        }
        if (this === null || (typeof this !== "object" && typeof this !== "function")) return;
        defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable,
      configurable: false,
    });
  }

  return function harden() {
    for (const [proto, names] of shadowable) {
      for (const name of names) makeShadowable(proto, name);
    }
    for (const target of targets) freeze(target);
  };
})()
