//go:build !race

package questiongen_test

const raceOn = false
