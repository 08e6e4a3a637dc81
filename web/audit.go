package web

import (
	"context"

	"github.com/backcoach/backcoach"
)

// auditSignIn writes a sign-in event (a sign-in, a wrong password, a
// lock-out) to the audit trail of the account the handle names, when
// there is one. Neither the handle nor the password is logged: a handle
// typed into the password field would leave a password in the logs.
func (s *Server) auditSignIn(ctx context.Context, handle string, action backcoach.AuditAction) {
	if handle == "" || len(handle) > backcoach.MaxHandleBytes {
		return
	}
	p, err := s.store.PersonByHandle(ctx, handle)
	if err != nil {
		if backcoach.ErrorCode(err) != backcoach.ENOTFOUND && backcoach.ErrorCode(err) != backcoach.EINVALID {
			s.log.Warn("could not look up an account for the audit trail", "action", string(action), "err", backcoach.ErrorCode(err))
		}
		return
	}
	s.recordSignIn(ctx, p.ID, action)
}

// recordSignIn writes a sign-in event of a known person; a failure is
// logged, without the person's data, and does not stop the sign-in.
func (s *Server) recordSignIn(ctx context.Context, personID string, action backcoach.AuditAction) {
	if err := s.store.RecordSignIn(ctx, personID, action); err != nil {
		s.log.Warn("could not write a sign-in event to the audit trail", "action", string(action), "err", backcoach.ErrorCode(err))
	}
}
