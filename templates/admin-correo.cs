<?cs # admin-correo.cs: mails the mailer gave up on, with a retry button each and for all. ?><?cs include:"_head.cs" ?>
<h1><?cs var:Lang.mail.admin.title ?></h1>
<dl class="facts"><dt><?cs var:Lang.mail.admin.pending ?></dt><dd id="count-pending"><?cs var:Count.pending ?></dd><dt><?cs var:Lang.mail.admin.sent ?></dt><dd id="count-sent"><?cs var:Count.sent ?></dd><dt><?cs var:Lang.mail.admin.failed ?></dt><dd id="count-failed"><?cs var:Count.failed ?></dd></dl>
<?cs if:subcount(Rows) == 0 ?><p><?cs var:Lang.mail.admin.none ?></p><?cs else ?>
<p class="hint"><?cs var:Lang.mail.admin.intro ?></p>
<form method="post" action="/admin/correo" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>"><input type="hidden" name="id" value="todos">
<button name="accion" value="reintentar"><?cs var:Lang.mail.admin.retry_all ?></button>
</form>
<div class="scroll"><table>
<thead><tr><th><?cs var:Lang.mail.admin.created ?></th><th><?cs var:Lang.mail.admin.recipient ?></th><th><?cs var:Lang.mail.admin.subject ?></th><th><?cs var:Lang.mail.admin.kind ?></th><th><?cs var:Lang.mail.admin.attempts ?></th><th><?cs var:Lang.mail.admin.error ?></th><th></th></tr></thead>
<tbody>
<?cs each:m = Rows ?><tr>
<td><?cs var:m.created ?></td><td><?cs var:m.recipient ?></td><td><?cs var:m.subject ?></td><td><?cs var:m.kind ?></td><td><?cs var:m.attempts ?></td><td><?cs var:m.error ?></td>
<td><?cs if:m.superseded == "t" ?><span class="hint"><?cs var:Lang.mail.admin.superseded ?></span><?cs else ?><form method="post" action="/admin/correo" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>"><input type="hidden" name="id" value="<?cs var:m.id ?>">
<button name="accion" value="reintentar"><?cs var:Lang.mail.admin.retry ?></button>
</form><?cs /if ?></td></tr>
<?cs /each ?></tbody></table></div>
<?cs /if ?>
<?cs include:"_foot.cs" ?>
