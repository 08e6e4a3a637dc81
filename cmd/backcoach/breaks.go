package main

// breakCmds are the movement-break reminder's commands.
type breakCmds struct{}
