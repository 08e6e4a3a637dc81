package main

import "github.com/backcoach/backcoach"

// dataCmds are the commands about the person's stored data.
type dataCmds struct{}

// saveAssessment keeps an assessment in the person's history.
func (a *app) saveAssessment(ans backcoach.Answers, res backcoach.Result) error { return nil }

// savePlan keeps a plan in the person's history.
func (a *app) savePlan(ans backcoach.Answers, p backcoach.Plan) error { return nil }
