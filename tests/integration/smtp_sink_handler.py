# An aiosmtpd handler for the mail tests: Mailbox (a Maildir of what it
# receives), except that RCPT TO an address starting with "reject" gets a
# permanent 550, as a real relay answers for a mailbox that does not exist.
from aiosmtpd.handlers import Mailbox


class RejectingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"
