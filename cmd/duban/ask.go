package main

import (
	"context"
	"io"
)

func runAsk(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return errUsage
}
