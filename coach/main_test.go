package coach_test

import (
	"os"
	"testing"

	"github.com/backcoach/backcoach/internal/testenv"
)

// TestMain lets tests use a throw-away PostgreSQL (testenv.PostgresDB).
func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
