/* sekkan.h: everything a page program needs from libsekkan. */
#ifndef SEKKAN_H
#define SEKKAN_H
#include "arena.h"
#include "cfg.h"
#include "db.h"
#include "form.h"
#include "json.h"
#include "jwt.h"
#include "limit.h"
#include "log.h"
#include "oidc.h"
#include "audit.h"
#include "rd.h"
#include "req.h"
#include "sess.h"
#include "srv.h"
#include "tpl.h"
#include "util.h"
#include "valid.h"
#endif
