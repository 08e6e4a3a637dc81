package report

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/backcoach/backcoach"
)

// FHIR R4 export: a Bundle of type collection with the Patient and the
// diary as Observations coded as docs/clinical.md §7 says. Each resource's
// id is stable: the Patient's is derived from the person's id, each
// Observation's from its diary entry's id.

// The code systems and codes of docs/clinical.md §7.
const (
	loinc         = "http://loinc.org"
	snomed        = "http://snomed.info/sct"
	categorySys   = "http://terminology.hl7.org/CodeSystem/observation-category"
	ucum          = "http://unitsofmeasure.org"
	identifierSys = "urn:backcoach:person"
)

// FHIROptions says what goes into the Patient.
type FHIROptions struct {
	// IncludeName puts the person's name in the Patient; without it the
	// Patient is pseudonymous: an opaque identifier only.
	IncludeName bool
}

// Bundle is a FHIR R4 Bundle.
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id"`
	Type         string        `json:"type"`
	Timestamp    string        `json:"timestamp"`
	Entry        []BundleEntry `json:"entry"`
}

// BundleEntry holds one resource.
type BundleEntry struct {
	FullURL  string `json:"fullUrl"`
	Resource any    `json:"resource"`
}

// Coding, CodeableConcept, Reference, Quantity, Identifier, HumanName and
// Annotation are the FHIR data types the export uses.
type (
	Coding struct {
		System  string `json:"system"`
		Code    string `json:"code"`
		Display string `json:"display,omitempty"`
	}
	CodeableConcept struct {
		Coding []Coding `json:"coding"`
		Text   string   `json:"text,omitempty"`
	}
	Reference struct {
		Reference string `json:"reference"`
	}
	Quantity struct {
		Value  float64 `json:"value"`
		Unit   string  `json:"unit"`
		System string  `json:"system"`
		Code   string  `json:"code"`
	}
	Identifier struct {
		System string `json:"system"`
		Value  string `json:"value"`
	}
	HumanName struct {
		Text string `json:"text"`
	}
	Annotation struct {
		Text string `json:"text"`
	}
)

// Patient is a FHIR R4 Patient.
type Patient struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id"`
	Identifier   []Identifier `json:"identifier"`
	Name         []HumanName  `json:"name,omitempty"`
}

// Observation is a FHIR R4 Observation.
type Observation struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category"`
	Code              CodeableConcept   `json:"code"`
	Subject           Reference         `json:"subject"`
	EffectiveDateTime string            `json:"effectiveDateTime"`
	ValueInteger      *int              `json:"valueInteger,omitempty"`
	ValueQuantity     *Quantity         `json:"valueQuantity,omitempty"`
	BodySite          *CodeableConcept  `json:"bodySite,omitempty"`
	Note              []Annotation      `json:"note,omitempty"`
	Component         []Component       `json:"component,omitempty"`
}

// Component is one item of a panel Observation.
type Component struct {
	Code          CodeableConcept `json:"code"`
	ValueInteger  *int            `json:"valueInteger,omitempty"`
	ValueQuantity *Quantity       `json:"valueQuantity,omitempty"`
}

func concept(system, code, display string) CodeableConcept {
	return CodeableConcept{Coding: []Coding{{System: system, Code: code, Display: display}}}
}

func intp(v int) *int { return &v }

// PatientID is the opaque, stable id of the person's Patient: it says
// nothing about the person and is the same in every export.
func PatientID(personID string) string {
	sum := sha256.Sum256([]byte("backcoach-patient:" + personID))
	return "p-" + hex.EncodeToString(sum[:12])
}

// FHIR builds the Bundle of the document's diary.
func FHIR(doc *backcoach.Export, opts FHIROptions) *Bundle {
	pid := PatientID(doc.Person.ID)
	patient := &Patient{ResourceType: "Patient", ID: pid, Identifier: []Identifier{{System: identifierSys, Value: pid}}}
	if opts.IncludeName && doc.Person.Name != "" {
		patient.Name = []HumanName{{Text: doc.Person.Name}}
	}
	b := &Bundle{ResourceType: "Bundle", ID: "export-" + pid, Type: "collection", Timestamp: doc.ExportedAt.UTC().Format(time.RFC3339)}
	add := func(kind, id string, r any) {
		b.Entry = append(b.Entry, BundleEntry{FullURL: "urn:backcoach:" + kind + ":" + id, Resource: r})
	}
	add("Patient", pid, patient)
	subject := Reference{Reference: "Patient/" + pid}
	survey := []CodeableConcept{concept(categorySys, "survey", "Survey")}
	site := concept(snomed, "122495006", "Thoracic spine structure")
	for _, e := range doc.Diary {
		at := e.At.UTC().Format(time.RFC3339)
		pain := &Observation{ResourceType: "Observation", ID: "pain-" + e.ID, Status: "final", Category: survey,
			Code:    concept(loinc, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
			Subject: subject, EffectiveDateTime: at, ValueInteger: intp(e.Pain), BodySite: &site}
		if e.Note != "" {
			pain.Note = []Annotation{{Text: e.Note}}
		}
		add("Observation", pain.ID, pain)
		if p := e.PEG; p != nil {
			peg := &Observation{ResourceType: "Observation", ID: "peg-" + e.ID, Status: "final", Category: survey,
				Code: concept(loinc, "91148-7", "Pain, Enjoyment of life, General activity (PEG) 3-item pain scale"), Subject: subject,
				EffectiveDateTime: at, BodySite: &site,
				Component: []Component{
					{Code: concept(loinc, "75893-8", "Pain severity - 0-10 verbal numeric rating [Score] - Reported by 7 day recall"), ValueInteger: intp(p.Pain)},
					{Code: concept(loinc, "91145-3", "Pain interference with enjoyment of life in past week"), ValueInteger: intp(p.Enjoyment)},
					{Code: concept(loinc, "91146-1", "Pain interference with general activity in past week"), ValueInteger: intp(p.Activity)},
					{Code: concept(loinc, "91147-9", "PEG score"), ValueQuantity: &Quantity{Value: p.Score(), Unit: "{score}", System: ucum, Code: "{score}"}},
				}}
			add("Observation", peg.ID, peg)
		}
	}
	return b
}
