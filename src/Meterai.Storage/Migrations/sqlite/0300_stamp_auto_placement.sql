-- Issue 11 item 5: a stamp requested without a rectangle gets the free spot nearest the usual place. Its rect_*
-- columns hold zeros until it completes, then the rectangle chosen; placement_auto says how it was chosen: 'free' (a
-- spot that covers no ink) or why the usual place was kept ('page_full', 'work_limit', 'content_unreadable').
-- NULL: the caller gave the rectangle (or the stamp has not completed yet).

ALTER TABLE stamps ADD COLUMN placement_auto TEXT;
