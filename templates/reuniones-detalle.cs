<?cs # reuniones-detalle.cs: one meeting: fields, link, participants; edit, duplicate, cancel. ?><?cs include:"_head.cs" ?>
<h1><?cs var:M.name ?></h1>
<?cs if:M.status == "cancelled" ?><p class="error" role="status"><?cs var:Lang.meeting.detail.cancelled ?></p><?cs /if ?>
<section class="card">
<dl class="facts">
<dt><?cs var:Lang.meeting.detail.when ?></dt><dd><?cs var:M.start ?> (<?cs var:M.zone ?>)<?cs if:M.start_mine != M.start ?> · <?cs var:M.start_mine ?> <?cs var:Lang.meeting.detail.your_time ?><?cs /if ?></dd>
<dt><?cs var:Lang.meeting.field.minutes ?></dt><dd><?cs var:M.minutes ?></dd>
<dt><?cs var:Lang.meeting.detail.owner ?></dt><dd><?cs var:M.owner ?></dd>
<?cs if:M.description ?><dt><?cs var:Lang.meeting.field.description ?></dt><dd class="pre"><?cs var:M.description ?></dd><?cs /if ?>
</dl>
<?cs if:M.status == "active" ?>
<p><label for="link"><?cs var:Lang.meeting.detail.link ?></label>
<input id="link" type="text" readonly value="<?cs var:M.link ?>"></p>
<p><a class="btn" href="<?cs var:M.path ?>"><?cs var:Lang.meeting.detail.join ?></a></p>
<?cs /if ?>
</section>
<section class="card" id="personas" aria-labelledby="people-h">
<h2 id="people-h"><?cs var:Lang.meeting.detail.people ?></h2>
<ul>
<li><?cs var:M.owner ?> — <?cs var:Lang.meeting.role.owner ?></li>
<?cs each:p = People ?><li><?cs var:p.name ?><?cs if:p.email ?> (<?cs var:Lang.meeting.detail.guest ?>)<?cs /if ?> — <?cs if:p.role == "moderator" ?><?cs var:Lang.meeting.role.moderator ?><?cs else ?><?cs var:Lang.meeting.role.participant ?><?cs /if ?><?cs if:M.mine ?><?cs if:p.mail ?> · <span class="mail-<?cs var:p.mail ?>"><?cs var:Lang.mail.status[p.mail] ?></span><?cs /if ?><?cs if:M.status == "active" && !p.revoked ?>
<form method="post" action="/reuniones/<?cs var:M.id ?>" class="inline"><input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>"><input type="hidden" name="p" value="<?cs var:p.id ?>"><button type="submit" name="accion" value="reenviar" class="btn-small"><?cs var:Lang.mail.resend ?></button></form><?cs /if ?><?cs /if ?></li>
<?cs /each ?></ul>
</section>
<?cs include:"_asistencia.cs" ?>
<?cs if:M.mine ?>
<section class="card" id="invitados" aria-labelledby="guests-h">
<h2 id="guests-h"><?cs var:Lang.guest.owner.heading ?></h2>
<?cs if:M.guest_links ?><p class="hint"><?cs var:Lang.guest.owner.hint ?></p><?cs /if ?>
<?cs each:p = People ?><?cs if:p.link ?>
<div class="guest">
<p><label for="g<?cs var:p.id ?>"><?cs var:p.name ?><?cs if:p.revoked ?> — <?cs var:Lang.guest.owner.revoked ?><?cs /if ?></label>
<?cs if:!p.revoked ?><input id="g<?cs var:p.id ?>" type="text" readonly value="<?cs var:p.link ?>"><?cs /if ?></p>
<form method="post" action="/reuniones/<?cs var:M.id ?>" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="p" value="<?cs var:p.id ?>">
<?cs if:p.revoked ?><button type="submit" name="accion" value="reactivar"><?cs var:Lang.guest.owner.reactivate ?></button><?cs else ?><button type="submit" name="accion" value="revocar" class="danger"><?cs var:Lang.guest.owner.revoke ?></button><?cs /if ?>
</form>
</div>
<?cs /if ?><?cs /each ?>
<form method="post" action="/reuniones/<?cs var:M.id ?>">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="accion" value="correo">
<p><?cs if:M.need_email ?><?cs var:Lang.guest.owner.email_on ?><?cs else ?><?cs var:Lang.guest.owner.email_off ?><?cs /if ?></p>
<button type="submit" name="valor" value="<?cs if:M.need_email ?>0<?cs else ?>1<?cs /if ?>" class="btn-small"><?cs if:M.need_email ?><?cs var:Lang.guest.owner.email_stop ?><?cs else ?><?cs var:Lang.guest.owner.email_ask ?><?cs /if ?></button>
</form>
</section>
<?cs /if ?>
<?cs if:M.mine ?>
<p><?cs if:M.status == "active" ?><a class="btn" href="/reuniones/<?cs var:M.id ?>/editar"><?cs var:Lang.meeting.detail.edit ?></a> <?cs /if ?><a class="btn" href="/reuniones/nueva?copia=<?cs var:M.id ?>#sched-h"><?cs var:Lang.meeting.detail.duplicate ?></a></p>
<?cs /if ?>
<?cs if:M.mine && M.status == "active" ?>
<form method="post" action="/reuniones/<?cs var:M.id ?>">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<button type="submit" name="accion" value="cancelar" class="danger"><?cs var:Lang.meeting.detail.cancel ?></button>
</form>
<?cs if:M.series ?><form method="post" action="/reuniones/<?cs var:M.id ?>">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="alcance" value="siguientes">
<p class="hint"><?cs var:Lang.mail.cancel_hint ?></p>
<button type="submit" name="accion" value="cancelar" class="danger"><?cs var:Lang.mail.cancel_following ?></button>
</form><?cs /if ?>
<?cs /if ?>
<p><a href="/reuniones"><?cs var:Lang.meeting.list.heading ?></a></p>
<?cs include:"_foot.cs" ?>
