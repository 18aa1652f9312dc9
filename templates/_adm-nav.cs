<?cs # _adm-nav.cs: the administration pages' tabs; Page.tab names the current one. ?>
<nav class="tabs" aria-label="<?cs var:Lang.adm.nav ?>">
<?cs each:t = Lang.adm.tabs ?><a href="<?cs var:t.href ?>"<?cs if:Page.tab == name(t) ?> aria-current="page"<?cs /if ?>><?cs var:t.label ?></a> <?cs /each ?>
</nav>
