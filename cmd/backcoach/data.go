package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on systems without tzdata

	"github.com/backcoach/backcoach"
	"github.com/backcoach/backcoach/coach"
	"github.com/backcoach/backcoach/planner"
	"github.com/backcoach/backcoach/store"
)

// On the command line there is one person per database: the local
// account, with the handle backcoach.LocalHandle, created the first time a
// command needs it, with the computer's time zone in its profile. Every
// command run against the same database (the --db flag, BACKCOACH_DB, or
// $XDG_DATA_HOME/backcoach/backcoach.db) reads and writes that account.

// dataCmds are the commands about the person's stored data.
type dataCmds struct {
	History       historyCmd       `cmd:"" help:"List your past assessments, newest first."`
	Export        exportCmd        `cmd:"" help:"Write everything backcoach keeps about you as one JSON document (see docs/export.md), or the diary and sessions as CSV or FHIR."`
	Report        reportCmd        `cmd:"" help:"Write a PDF report for your physiotherapist or doctor."`
	Import        importCmd        `cmd:"" help:"Bring back your data from an export document, exactly as it was."`
	DeleteAccount deleteAccountCmd `cmd:"" name:"delete-account" help:"Remove everything backcoach keeps about you from this database."`
	Backup        backupCmd        `cmd:"" help:"Copy the whole database to FILE, safely, even while it is in use."`
	Restore       restoreCmd       `cmd:"" help:"Replace the whole database with a backup made by 'backcoach backup'."`
	Migrate       migrateCmd       `cmd:"" help:"Bring the database's layout up to date (every command does this anyway) and show where it is."`
}

// openStore opens the database named by --db or BACKCOACH_DB, or the file
// in the XDG data folder. The caller closes it.
func (a *app) openStore() (*store.Store, error) {
	dsn := a.globals.DB
	if dsn == "" {
		var err error
		if dsn, err = store.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return store.Open(a.ctx, dsn, store.Options{Now: a.now, Logger: a.log})
}

// withLocal opens the store and finds (or creates) the local account, runs
// fn with both, and closes the store. Commands that keep the person's data
// use it.
func (a *app) withLocal(fn func(s *store.Store, me *backcoach.Person) error) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	me, err := a.localPerson(s)
	if err != nil {
		return err
	}
	return fn(s, me)
}

// localPerson returns the local account, creating it on first use.
func (a *app) localPerson(s *store.Store) (*backcoach.Person, error) {
	p, err := s.PersonByHandle(a.ctx, backcoach.LocalHandle)
	if backcoach.ErrorCode(err) != backcoach.ENOTFOUND {
		return p, err
	}
	p = &backcoach.Person{Handle: backcoach.LocalHandle, Role: backcoach.RolePerson}
	if err := s.CreatePerson(a.ctx, p); err != nil {
		if backcoach.ErrorCode(err) == backcoach.ECONFLICT { // another command created it meanwhile
			return s.PersonByHandle(a.ctx, backcoach.LocalHandle)
		}
		return nil, err
	}
	if err := s.SaveProfile(a.ctx, p.ID, &backcoach.Profile{TimeZone: localZone()}); err != nil {
		return nil, err
	}
	return p, nil
}

// localZone returns the IANA name of the computer's time zone: from TZ,
// else from the /etc/localtime link, else /etc/timezone, else UTC.
func localZone() string {
	var candidates []string
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		candidates = append(candidates, tz)
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			candidates = append(candidates, name)
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(b)))
	}
	for _, c := range candidates {
		if c == "" || c == "Local" || strings.HasPrefix(c, "/") {
			continue
		}
		if _, err := time.LoadLocation(c); err == nil {
			return c
		}
	}
	return backcoach.DefaultTimeZone
}

// withCoach runs fn with the coach over the store, for the local person.
func (a *app) withCoach(fn func(c *coach.Coach, me *backcoach.Person) error) error {
	return a.withLocal(func(s *store.Store, me *backcoach.Person) error {
		return fn(coach.New(s, a.catalog, a.now), me)
	})
}

// assessAndPlan keeps an assessment through the coach and, when plan is
// set, builds and keeps the day's plan from it (at the person's dose
// level, docs/clinical.md §5) with the same opening of the database. While the
// safety record bars exercise the plan is the contract's empty one, at the
// record's urgency. The result returned is the coach's whole conclusion.
func (a *app) assessAndPlan(ans backcoach.Answers, date string, plan bool) (backcoach.Result, *backcoach.Plan, backcoach.Progression, error) {
	var res backcoach.Result
	var p *backcoach.Plan
	var prog backcoach.Progression
	err := a.withCoach(func(c *coach.Coach, me *backcoach.Person) error {
		out, err := c.Assess(a.ctx, me.ID, &ans, backcoach.ViaTerminal)
		if err != nil {
			return err
		}
		res = out.Assessment.Result
		if !plan {
			return nil
		}
		planned, err := c.Plan(a.ctx, me.ID, coach.PlanRequest{AssessmentID: out.Assessment.ID, Date: date})
		if r := coach.Refused(err); r != nil {
			refused := res
			refused.ExerciseAllowed, refused.Urgency = false, r.Urgency
			empty := planner.Build(a.catalog, planner.Request{Answers: &ans, Result: refused, Date: date})
			p, res = &empty, refused
			return nil
		}
		if err != nil {
			return err
		}
		p, prog = &planned.Plan.Plan, planned.Progression
		return nil
	})
	return res, p, prog, err
}

func sameJSON(x, y any) bool {
	a, err1 := json.Marshal(x)
	b, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && string(a) == string(b)
}

// historyCmd lists past assessments.
type historyCmd struct {
	Limit int  `help:"Show at most this many (0 for all)." default:"20"`
	JSON  bool `name:"json" help:"Print the saved assessments as JSON (answers and results in full)."`
}

func (c *historyCmd) Run(a *app) error {
	if c.Limit < 0 {
		return backcoach.Invalid("limit", "must be 0 (all) or more, got %d", c.Limit)
	}
	return a.withLocal(func(s *store.Store, me *backcoach.Person) error {
		list, err := s.Assessments(a.ctx, me.ID, backcoach.Filter{Limit: c.Limit, NewestFirst: true})
		if err != nil {
			return err
		}
		if c.JSON {
			return writeIndented(a.stdout, list)
		}
		if len(list) == 0 {
			fmt.Fprintln(a.stdout, "No assessments saved yet. Run 'backcoach assess' to take one.")
			return nil
		}
		prof, err := s.Profile(a.ctx, me.ID)
		if err != nil {
			return err
		}
		loc := prof.Location()
		fmt.Fprintf(a.stdout, "%-16s  %-9s  %-9s  %-4s  %s\n", "when ("+loc.String()+")", "urgency", "stage", "pain", "warning signs")
		for _, r := range list {
			flags := strings.Join(r.Result.RedFlags, ", ")
			if flags == "" {
				flags = "none"
			}
			fmt.Fprintf(a.stdout, "%-16s  %-9s  %-9s  %2d    %s\n", r.TakenAt.In(loc).Format("2006-01-02 15:04"),
				r.Result.Urgency, r.Result.Stage, r.Answers.PainNow, flags)
		}
		return nil
	})
}

// exportCmd writes the export document.
type exportCmd struct {
	Out         string `help:"Write to FILE (created private to you) instead of standard output; with --format csv, the folder DIR to write diary.csv and sessions.csv in." placeholder:"FILE" type:"path"`
	Format      string `help:"json (everything, the default), csv (diary and sessions) or fhir (a FHIR R4 Bundle of the diary)." default:"json" enum:"json,csv,fhir"`
	IncludeName bool   `name:"include-name" help:"With --format fhir: put your name in the Patient (it is pseudonymous otherwise)."`
}

func (c *exportCmd) Run(a *app) error {
	return a.withLocal(func(s *store.Store, me *backcoach.Person) error {
		if c.Format != "" && c.Format != "json" {
			return c.exportOther(a, s, me)
		}
		doc, err := s.Export(a.ctx, me.ID)
		if err != nil {
			return err
		}
		if c.Out == "" {
			return writeIndented(a.stdout, doc)
		}
		if err := writeFileAtomic(c.Out, func(w io.Writer) error { return writeIndented(w, doc) }); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "Wrote everything backcoach keeps about you to %s.\n", c.Out)
		return nil
	})
}

// importCmd restores an export document as the local account.
type importCmd struct {
	File    string `arg:"" help:"The export document, or - for standard input." type:"path"`
	Replace bool   `help:"Replace your data in this database with the document's."`
}

func (c *importCmd) Run(a *app) error {
	doc, err := readExport(a, c.File)
	if err != nil {
		return err
	}
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	replace := c.Replace
	if !replace {
		// An account the command line created by itself and never used
		// may be replaced without asking.
		if replace, err = a.localUnused(s); err != nil {
			return err
		}
	}
	if doc.Person.Handle != backcoach.LocalHandle {
		fmt.Fprintf(a.stderr, "The document is the account %q; it becomes this database's local account.\n", doc.Person.Handle)
		doc.Person.Handle = backcoach.LocalHandle
	}
	p, err := s.Import(a.ctx, doc, backcoach.ImportOptions{Replace: replace})
	if backcoach.ErrorCode(err) == backcoach.ECONFLICT {
		return backcoach.Errorf(backcoach.ECONFLICT, "this database already keeps your data, and nothing was imported: run 'backcoach import --replace %s' to replace it with the document's, or choose another database with --db", c.File)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Imported %d assessments, %d plans, %d sessions, %d diary entries and %d days of break statistics (account %s).\n",
		len(doc.Assessments), len(doc.Plans), len(doc.Sessions), len(doc.Diary), len(doc.BreakDays), p.ID)
	return nil
}

// localUnused reports whether the local account exists and holds nothing
// but what its creation made.
func (a *app) localUnused(s *store.Store) (bool, error) {
	me, err := s.PersonByHandle(a.ctx, backcoach.LocalHandle)
	if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	one := backcoach.Filter{Limit: 1}
	for _, count := range []func() (int, error){
		func() (int, error) { l, err := s.Assessments(a.ctx, me.ID, one); return len(l), err },
		func() (int, error) { l, err := s.Plans(a.ctx, me.ID, one); return len(l), err },
		func() (int, error) { l, err := s.Sessions(a.ctx, me.ID, one); return len(l), err },
		func() (int, error) { l, err := s.DiaryEntries(a.ctx, me.ID, one); return len(l), err },
		func() (int, error) { l, err := s.BreakDays(a.ctx, me.ID, "", ""); return len(l), err },
		func() (int, error) {
			b, err := s.BreakSettings(a.ctx, me.ID)
			if err != nil || !b.Saved() {
				return 0, err
			}
			return 1, nil
		},
	} {
		n, err := count()
		if err != nil || n > 0 {
			return false, err
		}
	}
	return true, nil
}

// readExport reads and decodes an export document, refusing fields it does
// not know, since they could not be restored.
func readExport(a *app, name string) (*backcoach.Export, error) {
	var r io.Reader
	if name == "-" {
		r = a.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, backcoach.Invalid("file", "cannot be read: %v", err)
		}
		defer f.Close()
		r = f
	}
	capped := &capReader{r: r, left: MaxImportBytes}
	dec := json.NewDecoder(bufio.NewReader(capped))
	dec.DisallowUnknownFields()
	var doc backcoach.Export
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, backcoach.Invalid("file", "is larger than %d MiB, the most an export document may be (docs/export.md); nothing was imported", MaxImportBytes>>20)
		}
		return nil, backcoach.Invalid("file", "is not a backcoach export document (JSON, see docs/export.md): %v", err)
	}
	return &doc, nil
}

// MaxImportBytes is the largest export document import reads: decades of
// daily records take a few MiB, and reading stops here, whatever the size
// of the file.
const MaxImportBytes = 64 << 20

var errTooLarge = errors.New("the document is too large")

// capReader reads at most left bytes, and fails with errTooLarge past
// them.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a document of exactly the cap from a larger one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// deleteAccountCmd removes the local account and all its data.
type deleteAccountCmd struct {
	Yes bool `help:"Do not ask for confirmation (for scripts)."`
}

func (c *deleteAccountCmd) Run(a *app) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	me, err := s.PersonByHandle(a.ctx, backcoach.LocalHandle)
	if backcoach.ErrorCode(err) == backcoach.ENOTFOUND {
		fmt.Fprintln(a.stdout, "Nothing to delete: this database keeps no data about you.")
		return nil
	}
	if err != nil {
		return err
	}
	ok, err := a.confirm(c.Yes, "delete-account", "This removes everything backcoach keeps about you from "+where(s)+
		": assessments, plans, sessions, diary, break statistics and settings, profile and audit trail. It cannot be undone.")
	if err != nil || !ok {
		return err
	}
	report, err := s.DeleteAccount(a.ctx, me.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Removed %d rows: %s.\n", report.Total(), report.String())
	return nil
}

// confirm asks the person to type "yes" before something that cannot be
// undone. Without a terminal it refuses unless yes was given.
func (a *app) confirm(yes bool, command, what string) (bool, error) {
	if yes {
		return true, nil
	}
	if !a.interactive {
		return false, backcoach.Errorf(backcoach.EINVALID, "%s asks for confirmation and there is no terminal to ask on: run it with --yes", command)
	}
	fmt.Fprintf(a.stdout, "%s\nType yes to go on: ", what)
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	if strings.TrimSpace(strings.ToLower(line)) != "yes" {
		fmt.Fprintln(a.stdout, "Nothing was changed.")
		return false, nil
	}
	return true, nil
}

// where names the database for people.
func where(s *store.Store) string {
	if s.Path() != "" {
		return s.Path()
	}
	return "the PostgreSQL database"
}

// backupCmd copies the whole database.
type backupCmd struct {
	File   string `arg:"" help:"The new backup file; an existing file is never overwritten." type:"path"`
	Format string `help:"sqlite (a SQLite database file; the default for SQLite) or json (one document; the default for PostgreSQL, and works for both)." enum:",sqlite,json" default:""`
}

func (c *backupCmd) Run(a *app) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	format := store.BackupFormat(c.Format)
	if format == "" {
		format = s.DefaultBackupFormat()
	}
	if err := s.Backup(a.ctx, c.File, format); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Backed up %s to %s (%s).\n", where(s), c.File, format)
	return nil
}

// restoreCmd replaces the whole database with a backup.
type restoreCmd struct {
	File string `arg:"" help:"A backup made by 'backcoach backup', in either format." type:"path"`
	Yes  bool   `help:"Do not ask for confirmation (for scripts)."`
}

func (c *restoreCmd) Run(a *app) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	ok, err := a.confirm(c.Yes, "restore", "This replaces everything in "+where(s)+" with the backup "+c.File+". What is there now is lost unless you back it up first.")
	if err != nil || !ok {
		return err
	}
	report, err := s.Restore(a.ctx, c.File)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Restored %d accounts (%d rows) from %s.\n", report.People, report.Rows, c.File)
	return nil
}

// migrateCmd brings the schema up to date.
type migrateCmd struct{}

func (c *migrateCmd) Run(a *app) error {
	s, err := a.openStore()
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.SchemaVersion(a.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s: %s database, schema version %d (up to date).\n", where(s), s.Dialect(), v)
	return nil
}

// writeIndented writes v as indented JSON.
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeFileAtomic writes a file private to the person: to a temporary name
// first, synced, then renamed over path, so that path holds either the old
// content or all of the new.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return backcoach.Invalid("out", "cannot write in %s: %v", dir, err)
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriter(f)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return backcoach.Errorf(backcoach.EINTERNAL, "cannot write %s: %v", path, err)
	}
	return nil
}
