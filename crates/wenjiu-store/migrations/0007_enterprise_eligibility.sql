-- Enterprise users may see which policies their own enterprise and its hires qualify for
-- (可享政策); their data scope keeps them to their own enterprise.
UPDATE role SET permissions = permissions || ' policy:evaluate' WHERE code = 'enterprise';
