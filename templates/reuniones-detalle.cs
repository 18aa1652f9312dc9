<?cs # reuniones-detalle.cs: one meeting: fields, link, participants, cancel. ?><?cs include:"_head.cs" ?>
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
<section class="card" aria-labelledby="people-h">
<h2 id="people-h"><?cs var:Lang.meeting.detail.people ?></h2>
<ul>
<li><?cs var:M.owner ?> — <?cs var:Lang.meeting.role.owner ?></li>
<?cs each:p = People ?><li><?cs var:p.name ?><?cs if:p.email ?> (<?cs var:Lang.meeting.detail.guest ?>)<?cs /if ?> — <?cs if:p.role == "moderator" ?><?cs var:Lang.meeting.role.moderator ?><?cs else ?><?cs var:Lang.meeting.role.participant ?><?cs /if ?></li>
<?cs /each ?></ul>
</section>
<?cs if:M.mine && M.status == "active" ?>
<form method="post" action="/reuniones/<?cs var:M.id ?>">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<button type="submit" name="accion" value="cancelar" class="danger"><?cs var:Lang.meeting.detail.cancel ?></button>
</form>
<?cs /if ?>
<p><a href="/reuniones"><?cs var:Lang.meeting.list.heading ?></a></p>
<?cs include:"_foot.cs" ?>
