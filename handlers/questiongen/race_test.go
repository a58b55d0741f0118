//go:build race

package questiongen_test

// raceOn: under -race each answer is ~10x slower, so the scored suites run
// a deterministic sample and the floors allow for sampling noise.
const raceOn = true
