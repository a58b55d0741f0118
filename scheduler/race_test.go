//go:build race

package scheduler

// raceEnabled lets the longest simulations thin their chats under the race
// detector, which slows them tenfold; the logic they check is the same.
const raceEnabled = true
